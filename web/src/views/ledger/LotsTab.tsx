// Open lots as booked by a lot method (FIFO, LIFO, HIFO, average, specific: the URL's `method`),
// and a sale of chosen lots: the lots ticked in the table are named on a SELL row (specific
// identification), previewed by a dry run of the import (the gains as keel books them, wash sales
// included) and recorded by importing that row.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { AccountShow, Gain, LotsResult, TransactionsImportResult } from '../../api/types';
import { useSession } from '../../app/session';
import { Empty, ErrorBox, Loading } from '../../components/States';
import { MethodSelect } from './AccountTabs';

export function GainsTable({ gains, label }: { gains: Gain[]; label: string }) {
  const { fmt } = useSession();
  const c2 = (x: number | null | undefined) => fmt.num(x, 2);
  return (
    <table className="list" aria-label={label}>
      <thead>
        <tr><th>Symbol</th><th>Sold</th><th>Lot</th><th>Bought</th><th className="num">Quantity</th><th className="num">Proceeds</th><th className="num">Cost</th><th>Code</th><th className="num">Wash sale disallowed</th><th className="num">Gain</th><th>Term</th></tr>
      </thead>
      <tbody>
        {gains.map((g, i) => (
          <tr key={i} data-lot={g.lot_id}>
            <td>{g.symbol}</td><td>{g.sell_date}</td><td>{g.lot_id}</td><td>{g.buy_date}</td>
            <td className="num">{fmt.num(g.quantity, 4)}</td><td className="num">{c2(g.proceeds)}</td><td className="num">{c2(g.cost)}</td>
            <td>{g.adjustment_code && <span className="badge" title="Wash sale (Form 8949 code W)">{g.adjustment_code}</span>}</td>
            <td className="num" data-field="wash">{c2(g.wash_sale_disallowed)}</td>
            <td className="num" data-field="gain">{c2(g.gain)}</td><td>{g.term}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function LotsTab({ account, query }: { account: AccountShow; query: URLSearchParams }) {
  const { can, fmt } = useSession();
  const qc = useQueryClient();
  const canSell = can('import_positions'); // a sale's preview and record go through the import route
  const c2 = (x: number | null | undefined) => fmt.num(x, 2);
  const method = query.get('method') ?? '';
  const path = `/api/v1/accounts/${account.id}/lots${method ? `?method=${method}` : ''}`;
  const lots = useQuery({ queryKey: ['ledger', path], queryFn: () => api<LotsResult>('GET', path) });
  const [chosen, setChosen] = useState<string[]>([]);
  const [sale, setSale] = useState({ date: '', quantity: '', price: '', fees: '0' });
  const picked = (lots.data?.lots ?? []).filter((l) => chosen.includes(`${l.symbol}/${l.lot_id}`));
  const symbols = [...new Set(picked.map((l) => l.symbol))];
  const csv = () =>
    'date,type,symbol,quantity,price,fees,lot_id\n' +
    [sale.date, 'SELL', symbols[0] ?? '', sale.quantity, sale.price, sale.fees || '0', picked.map((l) => l.lot_id).join(';')].join(',') + '\n';
  const route = `/api/v1/accounts/${account.id}/transactions`;
  const preview = useMutation({ mutationFn: () => api<TransactionsImportResult>('POST', route, { body: { csv: csv(), dry_run: true } }) });
  const record = useMutation({
    mutationFn: () => api<TransactionsImportResult>('POST', route, { body: { csv: csv(), keep_duplicates: true } }),
    onSuccess: () => {
      setChosen([]);
      void qc.invalidateQueries({ queryKey: ['ledger'] });
      void qc.invalidateQueries({ queryKey: ['account', account.name] });
    },
  });
  const ready = picked.length > 0 && symbols.length === 1 && sale.date && sale.quantity && sale.price;
  return (
    <>
      <form className="params" aria-label="Lots parameters" onSubmit={(e) => e.preventDefault()}>
        <MethodSelect query={query} label="Book past sales by" />
      </form>
      <p className="muted small">
        FIFO sells the oldest lots first (the IRS default), LIFO the newest, HIFO the highest cost per share; average cost pools the shares; specific
        relieves the lots each sale names. Switching the method shows the lots that method would have left open.
      </p>
      {lots.isLoading && <Loading what="lots" />}
      <ErrorBox error={lots.error} />
      {lots.data && lots.data.lots.length === 0 && <Empty>No open lots.</Empty>}
      {lots.data && lots.data.lots.length > 0 && (
        <>
          <p data-testid="lots-total">{lots.data.totals.lots} open lots ({lots.data.method}), basis {c2(lots.data.totals.basis)}</p>
          <div className="scroller" tabIndex={0} role="region" aria-label="Open lots (scrollable)">
            <table className="list" aria-label="Open lots">
              <thead>
                <tr>{canSell && <th>Sell</th>}<th>Symbol</th><th>Lot</th><th>Bought</th><th>Held from</th><th className="num">Quantity</th><th className="num">Basis</th><th className="num">Wash adjustment</th></tr>
              </thead>
              <tbody>
                {lots.data.lots.map((l) => {
                  const key = `${l.symbol}/${l.lot_id}`;
                  return (
                    <tr key={key} data-lot={l.lot_id}>
                      {canSell && <td>
                        <input type="checkbox" aria-label={`Sell from lot ${l.lot_id} of ${l.symbol}`} checked={chosen.includes(key)}
                          onChange={(e) => { preview.reset(); record.reset(); setChosen(e.target.checked ? [...chosen, key] : chosen.filter((k) => k !== key)); }} />
                      </td>}
                      <td>{l.symbol}</td><td>{l.lot_id}</td><td>{l.buy_date}</td><td>{l.acquired_date}</td>
                      <td className="num" data-field="quantity">{fmt.num(l.quantity, 4)}</td>
                      <td className="num" data-field="basis">{c2(l.basis)}</td>
                      <td className="num">{c2(l.wash_sale_adjustment)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
      {picked.length > 0 && (
        <fieldset>
          <legend>Sell {symbols.length === 1 ? symbols[0] : 'one symbol at a time'} from lots {picked.map((l) => l.lot_id).join(', ')}</legend>
          <p className="muted small">The sale names these lots (specific identification); the account's earlier sales are booked by its own method ({account.method}).</p>
          <form className="inline" aria-label="Sale" onSubmit={(e) => { e.preventDefault(); if (ready) { record.reset(); preview.mutate(); } }}>
            <label htmlFor="sale-date">date</label>
            <input id="sale-date" type="date" value={sale.date} onChange={(e) => setSale({ ...sale, date: e.target.value })} required />
            <label htmlFor="sale-quantity">shares</label>
            <input id="sale-quantity" inputMode="decimal" value={sale.quantity} onChange={(e) => setSale({ ...sale, quantity: e.target.value })} required />
            <label htmlFor="sale-price">price</label>
            <input id="sale-price" inputMode="decimal" value={sale.price} onChange={(e) => setSale({ ...sale, price: e.target.value })} required />
            <label htmlFor="sale-fees">fees</label>
            <input id="sale-fees" inputMode="decimal" value={sale.fees} onChange={(e) => setSale({ ...sale, fees: e.target.value })} />
            <button type="submit" disabled={!ready || preview.isPending}>Preview the sale</button>
            {canSell && (
              <button type="button" className="primary" disabled={!ready || record.isPending} onClick={() => { preview.reset(); record.mutate(); }}>Record the sale</button>
            )}
          </form>
          <ErrorBox error={preview.error ?? record.error} />
          {preview.data && (
            <>
              <p role="status" className="muted">Not recorded: the gains keel would book.</p>
              <GainsTable gains={preview.data.realized ?? []} label="Gains of the sale" />
            </>
          )}
          {record.data && <div className="ok" role="status">Sale recorded: the account holds {record.data.account_transactions} transactions.</div>}
        </fieldset>
      )}
    </>
  );
}
