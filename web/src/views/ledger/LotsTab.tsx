// Open lots as booked by a lot method (FIFO, LIFO, HIFO, average, specific: the URL's `method`),
// and a sale of chosen lots: the lots ticked in the table are named on a SELL row (specific
// identification), previewed by a dry run of the import (the gains as keel books them, wash sales
// included) and recorded by importing that row.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { AccountShow, Gain, LotsResult, TransactionsImportResult } from '../../api/types';
import { useSession } from '../../app/session';
import { choiceLabel } from '../../app/i18n';
import { Empty, ErrorBox, Loading } from '../../components/States';
import { MethodSelect } from './AccountTabs';

export function GainsTable({ gains, label }: { gains: Gain[]; label: string }) {
  const { fmt, t } = useSession();
  const c2 = (x: number | null | undefined) => fmt.num(x, 2);
  return (
    <table className="list" aria-label={label}>
      <thead>
        <tr><th>{t('common.symbol')}</th><th>{t('ledger.sold')}</th><th>{t('ledger.lot')}</th><th>{t('ledger.bought')}</th><th className="num">{t('common.quantity')}</th><th className="num">{t('ledger.proceeds')}</th><th className="num">{t('ledger.cost')}</th><th>{t('ledger.code')}</th><th className="num">{t('ledger.washDisallowed')}</th><th className="num">{t('ledger.gain')}</th><th>{t('ledger.term')}</th></tr>
      </thead>
      <tbody>
        {gains.map((g, i) => (
          <tr key={i} data-lot={g.lot_id}>
            <td>{g.symbol}</td><td>{fmt.date(g.sell_date)}</td><td>{g.lot_id}</td><td>{fmt.date(g.buy_date)}</td>
            <td className="num">{fmt.num(g.quantity, 4)}</td><td className="num">{c2(g.proceeds)}</td><td className="num">{c2(g.cost)}</td>
            <td>{g.adjustment_code && <span className="badge" title={t('ledger.washTitleShort')}>{g.adjustment_code}</span>}</td>
            <td className="num" data-field="wash">{c2(g.wash_sale_disallowed)}</td>
            <td className="num" data-field="gain">{c2(g.gain)}</td><td>{choiceLabel(t, 'term', g.term)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function LotsTab({ account, query }: { account: AccountShow; query: URLSearchParams }) {
  const { can, fmt, t } = useSession();
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
      <form className="params" aria-label={t('ledger.lotsParams')} onSubmit={(e) => e.preventDefault()}>
        <MethodSelect query={query} label={t('ledger.bookBy')} />
      </form>
      <p className="muted small">
        {t('ledger.lotsHelp')}
      </p>
      {lots.isLoading && <Loading what={t('ledger.loading.lots')} />}
      <ErrorBox error={lots.error} />
      {lots.data && lots.data.lots.length === 0 && <Empty>{t('ledger.noLots')}</Empty>}
      {lots.data && lots.data.lots.length > 0 && (
        <>
          <p data-testid="lots-total">{t('ledger.lotsTotal', { count: lots.data.totals.lots, method: choiceLabel(t, 'lot', lots.data.method), basis: c2(lots.data.totals.basis) })}</p>
          <div className="scroller" tabIndex={0} role="region" aria-label={t('table.scrollable', { label: t('ledger.tab.lots') })}>
            <table className="list" aria-label={t('ledger.tab.lots')}>
              <thead>
                <tr>{canSell && <th>{t('ledger.sell')}</th>}<th>{t('common.symbol')}</th><th>{t('ledger.lot')}</th><th>{t('ledger.bought')}</th><th>{t('ledger.heldFrom')}</th><th className="num">{t('common.quantity')}</th><th className="num">{t('ledger.basis')}</th><th className="num">{t('ledger.washAdj')}</th></tr>
              </thead>
              <tbody>
                {lots.data.lots.map((l) => {
                  const key = `${l.symbol}/${l.lot_id}`;
                  return (
                    <tr key={key} data-lot={l.lot_id}>
                      {canSell && <td>
                        <input type="checkbox" aria-label={t('ledger.sellFrom', { lot: l.lot_id, symbol: l.symbol })} checked={chosen.includes(key)}
                          onChange={(e) => { preview.reset(); record.reset(); setChosen(e.target.checked ? [...chosen, key] : chosen.filter((k) => k !== key)); }} />
                      </td>}
                      <td>{l.symbol}</td><td>{l.lot_id}</td><td>{fmt.date(l.buy_date)}</td><td>{fmt.date(l.acquired_date)}</td>
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
          <legend>{t('ledger.sellLegend', { symbol: symbols.length === 1 ? symbols[0]! : t('ledger.oneSymbol'), lots: picked.map((l) => l.lot_id).join(', ') })}</legend>
          <p className="muted small">{t('ledger.saleHelp', { method: choiceLabel(t, 'lot', account.method) })}</p>
          <form className="inline" aria-label={t('ledger.sale')} onSubmit={(e) => { e.preventDefault(); if (ready) { record.reset(); preview.mutate(); } }}>
            <label htmlFor="sale-date">{t('ledger.sale.date')}</label>
            <input id="sale-date" type="date" value={sale.date} onChange={(e) => setSale({ ...sale, date: e.target.value })} required />
            <label htmlFor="sale-quantity">{t('ledger.sale.shares')}</label>
            <input id="sale-quantity" inputMode="decimal" value={sale.quantity} onChange={(e) => setSale({ ...sale, quantity: e.target.value })} required />
            <label htmlFor="sale-price">{t('ledger.sale.price')}</label>
            <input id="sale-price" inputMode="decimal" value={sale.price} onChange={(e) => setSale({ ...sale, price: e.target.value })} required />
            <label htmlFor="sale-fees">{t('ledger.sale.fees')}</label>
            <input id="sale-fees" inputMode="decimal" value={sale.fees} onChange={(e) => setSale({ ...sale, fees: e.target.value })} />
            <button type="submit" disabled={!ready || preview.isPending}>{t('ledger.previewSale')}</button>
            {canSell && (
              <button type="button" className="primary" disabled={!ready || record.isPending} onClick={() => { preview.reset(); record.mutate(); }}>{t('ledger.recordSale')}</button>
            )}
          </form>
          <ErrorBox error={preview.error ?? record.error} />
          {preview.data && (
            <>
              <p role="status" className="muted">{t('ledger.notRecorded')}</p>
              <GainsTable gains={preview.data.realized ?? []} label={t('ledger.saleGains')} />
            </>
          )}
          {record.data && <div className="ok" role="status">{t('ledger.saleRecorded', { count: record.data.account_transactions })}</div>}
        </fieldset>
      )}
    </>
  );
}
