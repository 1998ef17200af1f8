"""numpy/pandas peer of `keel risk attribution` (docs/factors.md, "Factor attribution").

  factor_attribution_peer.py POSITIONS PRICES FACTORS_PERCENT FROM TO WINDOW OUT.json

Recomputes the attribution of the positions file over the period from the same files, by the
definition of docs/factors.md and nothing of keel's: pandas reads and pivots the prices, the
returns are adjusted-close returns on the dates every symbol has a price, the betas are
numpy.linalg.lstsq of the excess returns (r - rf) on the factors with an intercept over the WINDOW
returns ending at the close of FROM; each day of the period the position's value at the previous
close times beta_k f_k,t, rf_t and alpha; the position's value grows by its return. Prints one line
per check (each to 1e-8, relative to the amount's scale).
"""
import json
import sys

import numpy as np
import pandas as pd

TOL = 1e-8


def main():
    positions_csv, prices_csv, factors_csv, start, end, window, out_json = sys.argv[1:8]
    window = int(window)
    doc = json.load(open(out_json))
    book = pd.read_csv(positions_csv)
    rows = pd.read_csv(prices_csv, parse_dates=["date"])
    symbols = list(book["symbol"])
    adj = rows.pivot(index="date", columns="symbol", values="adj_close").sort_index()[symbols].dropna(how="any")
    close = rows.pivot(index="date", columns="symbol", values="close").sort_index()[symbols]
    ff = pd.read_csv(factors_csv, parse_dates=["date"], index_col="date").sort_index() / 100.0
    names = [c for c in ff.columns if c != "rf"]

    returns = adj.pct_change().iloc[1:]
    start_date = adj.index[adj.index <= pd.Timestamp(start)][-1]
    end_date = adj.index[adj.index <= pd.Timestamp(end)][-1]
    win = returns.loc[:start_date].iloc[-window:]
    per = returns.loc[start_date:].iloc[1:].loc[:end_date]

    def factor_rows(dates, previous):
        """Factor (and rf) returns compounded over each interval (previous close, date]."""
        out = []
        for d in dates:
            block = ff.loc[(ff.index > previous) & (ff.index <= d)]
            out.append((1 + block).prod() - 1)
            previous = d
        return pd.DataFrame(out, index=dates)

    fw = factor_rows(win.index, returns.index[returns.index < win.index[0]][-1])
    fp = factor_rows(per.index, start_date)
    design = np.column_stack([np.ones(len(win)), fw[names].to_numpy()])
    excess = win.to_numpy() - fw["rf"].to_numpy()[:, None]
    coef, *_ = np.linalg.lstsq(design, excess, rcond=None)
    alpha, betas = coef[0], coef[1:]

    mv0 = book["quantity"].to_numpy() * close.loc[start_date].to_numpy()
    r = per.to_numpy()
    value = mv0 * np.vstack([np.ones(len(symbols)), np.cumprod(1 + r, axis=0)[:-1]])  # at each previous close
    f = fp[names].to_numpy()
    factor_amounts = np.einsum("tn,kn,tk->nk", value, betas, f)
    rf_amount = (value * fp["rf"].to_numpy()[:, None]).sum(axis=0)
    alpha_amount = value.sum(axis=0) * alpha
    pnl = mv0 * (adj.loc[end_date].to_numpy() / adj.loc[start_date].to_numpy() - 1)
    residual = pnl - factor_amounts.sum(axis=1) - rf_amount - alpha_amount

    def close_to(a, b, scale):
        return bool(np.all(np.abs(np.asarray(a, float) - np.asarray(b, float)) <= TOL * scale))

    pos = doc["positions"]
    scale = float(np.abs(mv0).max())
    print("period", doc["start_date"], "..", doc["end_date"], "days", doc["days"], ":",
          doc["start_date"] == str(start_date.date()) and doc["end_date"] == str(end_date.date())
          and doc["days"] == len(per))
    print("beta window", doc["window_first_date"], "..", doc["window_last_date"], ":",
          doc["window_first_date"] == str(win.index[0].date()) and doc["window_last_date"] == str(start_date.date()))
    print("symbols in book order:", [p["symbol"] for p in pos] == symbols)
    print("betas equal to lstsq:", close_to([[p["betas"][k] for k in names] for p in pos], betas.T, 1.0))
    print("alphas equal to lstsq:", close_to([p["alpha_daily"] for p in pos], alpha, 1e-3))
    print("market values equal:", close_to([p["market_value"] for p in pos], mv0, scale))
    print("P&L equal to the prices':", close_to([p["pnl_amount"] for p in pos], pnl, scale))
    print("factor amounts equal:", close_to([[p["factors"][k] for k in names] for p in pos], factor_amounts, scale))
    print("risk-free amounts equal:", close_to([p["risk_free_amount"] for p in pos], rf_amount, scale))
    print("alpha amounts equal:", close_to([p["alpha_amount"] for p in pos], alpha_amount, scale))
    print("residuals equal:", close_to([p["residual_amount"] for p in pos], residual, scale))
    print("factor returns equal:",
          close_to([doc["factor_returns"][k] for k in names], (1 + fp[names]).prod().to_numpy() - 1, 1.0))
    b = doc["book"]
    print("book = sum of positions to the cent:",
          all(abs(b[key] - sum(p[key] for p in pos)) < 0.005
              for key in ("pnl_amount", "factor_amount", "risk_free_amount", "alpha_amount", "residual_amount"))
          and all(abs(b["factors"][k] - sum(p["factors"][k] for p in pos)) < 0.005 for k in names))
    print("each P&L = factors + risk free + alpha + residual:",
          all(abs(p["pnl_amount"] - sum(p["factors"].values()) - p["risk_free_amount"] - p["alpha_amount"]
                  - p["residual_amount"]) < 1e-9 * scale for p in pos))


if __name__ == "__main__":
    main()
