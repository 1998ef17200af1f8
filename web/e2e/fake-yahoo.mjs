// A loopback market-data vendor for the end-to-end tests, speaking Yahoo's chart API
// (GET /v8/finance/chart/{SYMBOL}?period1=&period2=, epoch seconds; the shape of
// tests/fixtures/marketdata/yahoo_chart_aapl_2017-11.json). It knows two made-up tickers that no
// example file prices, KLQA and KLQB, so the prices it gives collide with no other spec's: a bar
// for every weekday of the requested range, whose close is a function of its date alone (KLQA:
// 50 + 0.10 a day since 2012-01-01, KLQB: 20 + 0.05 a day), so a spec can work out any day's close
// and a fetch repeated on a retry stores the same figures. Its history ends on LAST, the examples'
// last price date: the e2e store lives on that day, and a later price would move the store's last
// price date (the default as-of of the ledger and the batch) under every spec that runs after the
// fetch. Any other symbol is Yahoo's 404 ("No data found, symbol may be delisted").
// It also speaks quoteSummary (GET /v10/finance/quoteSummary/{SYMBOL}, the security master) for one
// more made-up ticker, KLQS, which it has no prices for: a record with a sector, for the readiness
// panel's "Fetch the missing sectors" (readiness-fetch.spec.ts).
// It also answers as the ECB's data API does (GET /service/data/EXR/D.{CUR+CUR}.EUR.SP00.A
// ?format=csvdata&startPeriod=&endPeriod=, CSV with the series key columns, TIME_PERIOD and
// OBS_VALUE) for CHF and JPY on every weekday of the range within the vendor's history: EUR/CHF
// 0.95 and EUR/JPY 160 (CHF in JPY 160 / 0.95), for the readiness panel's "Fetch the FX rates".
// Currencies no other spec uses: the specs that find no EUR, USD or GBP rate stay true after it.
// startFakeYahoo(port) resolves when it listens; historyCsv(from, to, symbols) is the same closes
// as a prices file (date,symbol,close), for the store's seed.
import { createServer } from 'node:http';

const DAY = 86_400;
const ORIGIN = Date.UTC(2012, 0, 1) / 1000; // the vendor's first day
export const LAST = '2017-12-06';
const END = Date.parse(`${LAST}T00:00:00Z`) / 1000;
const SERIES = { KLQA: { base: 50, step: 0.1 }, KLQB: { base: 20, step: 0.05 } };
export const SYMBOLS = Object.keys(SERIES);

const cents = (x) => Math.round(x * 100) / 100;
const epochOf = (date) => Date.parse(`${date}T00:00:00Z`) / 1000;
const dateOf = (day) => new Date(day * 1000).toISOString().slice(0, 10);

// The close of `symbol` on `date` (YYYY-MM-DD).
export function closeOn(symbol, date) {
  const s = SERIES[symbol];
  return cents(s.base + s.step * Math.round((epochOf(date) - ORIGIN) / DAY));
}

// The vendor's sessions from the UTC day of `from` to that of `to` (epoch seconds), within its
// history: weekdays, as UTC midnights.
function sessions(from, to) {
  const out = [];
  for (let day = Math.max(ORIGIN, Math.floor(from / DAY) * DAY); day <= Math.min(to, END); day += DAY) {
    const weekday = new Date(day * 1000).getUTCDay();
    if (weekday !== 0 && weekday !== 6) out.push(day);
  }
  return out;
}

// The closes of `symbols` from `from` to `to` (YYYY-MM-DD) as a prices file.
export function historyCsv(from, to, symbols = SYMBOLS) {
  const rows = sessions(epochOf(from), epochOf(to)).flatMap((day) => symbols.map((s) => `${dateOf(day)},${s},${closeOn(s, dateOf(day))}`));
  return `date,symbol,close\n${rows.join('\n')}\n`;
}

function chart(symbol, period1, period2) {
  const days = sessions(period1, period2);
  const close = days.map((day) => closeOn(symbol, dateOf(day)));
  return {
    chart: {
      result: [{
        meta: {
          currency: 'USD', symbol, exchangeName: 'NMS', instrumentType: 'EQUITY', gmtoffset: -18000, timezone: 'EST',
          exchangeTimezoneName: 'America/New_York', dataGranularity: '1d',
        },
        // Each session stamped at its open, 14:30 UTC (09:30 in New York).
        timestamp: days.map((day) => day + 52_200),
        indicators: {
          quote: [{
            open: close.map((c) => cents(c - 0.1)),
            high: close.map((c) => cents(c + 0.2)),
            low: close.map((c) => cents(c - 0.2)),
            close,
            volume: close.map(() => 100_000),
          }],
          adjclose: [{ adjclose: [...close] }],
        },
      }],
      error: null,
    },
  };
}

export const PROFILED = 'KLQS';
const PROFILE = {
  quoteSummary: {
    result: [{
      assetProfile: { sector: 'Utilities', industry: 'Utilities - Regulated Electric', country: 'United States' },
      price: {
        symbol: PROFILED, longName: 'Keel Loopback Utility Inc.', shortName: 'Keel Loopback Utility', exchange: 'NMS',
        currency: 'USD', quoteType: 'EQUITY', marketCap: { raw: 1_000_000_000, fmt: '1B' },
      },
      summaryDetail: { currency: 'USD', marketCap: { raw: 1_000_000_000, fmt: '1B' } },
      quoteType: { symbol: PROFILED, quoteType: 'EQUITY', exchange: 'NMS', longName: 'Keel Loopback Utility Inc.' },
    }],
    error: null,
  },
};

export const EUR_RATES = { CHF: 0.95, JPY: 160 };

// The ECB's CSV of `currencies` (joined by '+') from `from` to `to` (YYYY-MM-DD).
function ecbCsv(currencies, from, to) {
  const rows = ['KEY,FREQ,CURRENCY,CURRENCY_DENOM,EXR_TYPE,EXR_SUFFIX,TIME_PERIOD,OBS_VALUE,OBS_STATUS'];
  for (const day of sessions(epochOf(from), epochOf(to))) {
    for (const c of currencies.split('+')) {
      if (EUR_RATES[c]) rows.push(`EXR.D.${c}.EUR.SP00.A,D,${c},EUR,SP00,A,${dateOf(day)},${EUR_RATES[c]},A`);
    }
  }
  return `${rows.join('\n')}\n`;
}

export function startFakeYahoo(port) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ecb = /^\/service\/data\/EXR\/D\.([A-Z+]+)\.EUR\.SP00\.A$/.exec(url.pathname);
    if (req.method === 'GET' && ecb && url.searchParams.get('format') === 'csvdata') {
      res.writeHead(200, { 'Content-Type': 'text/csv' });
      res.end(ecbCsv(ecb[1], url.searchParams.get('startPeriod') ?? LAST, url.searchParams.get('endPeriod') ?? LAST));
      return;
    }
    if (req.method === 'GET' && url.pathname === `/v10/finance/quoteSummary/${PROFILED}`) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(PROFILE));
      return;
    }
    const m = /^\/v8\/finance\/chart\/([^/]+)$/.exec(url.pathname);
    const symbol = m ? decodeURIComponent(m[1]).toUpperCase() : '';
    const period1 = Number(url.searchParams.get('period1'));
    const period2 = Number(url.searchParams.get('period2'));
    if (req.method !== 'GET' || !SERIES[symbol] || !url.searchParams.has('period1') || !Number.isFinite(period1) || !Number.isFinite(period2)) {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ chart: { result: null, error: { code: 'Not Found', description: 'No data found, symbol may be delisted' } } }));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(chart(symbol, period1, period2)));
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}
