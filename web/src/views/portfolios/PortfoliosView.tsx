// The portfolios of the tenant: reporting currency, value, 1-day P&L, VaR and zone of each one's
// newest snapshot (the list carries them); create one in a currency (then its positions are added
// in the positions editor), change its reporting currency, edit or import its positions, delete
// with confirmation.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../api/client';
import type { HistoryPoint, PortfolioPage, PortfolioRecord } from '../../api/types';
import { navigate } from '../../app/router';
import { useSession } from '../../app/session';
import { choiceLabel } from '../../app/i18n';
import { Empty, ErrorBox, Loading } from '../../components/States';
import { DeleteButton } from '../../components/DeleteButton';
import { TableScroll } from '../../components/TableScroll';

// The newest snapshot's figures, each amount with the book's reporting currency (the list gives the
// snapshot's amounts in the portfolio's currency).
function LastSnapshot({ point, currency }: { point: HistoryPoint | null; currency: string }) {
  const { fmt, t } = useSession();
  if (!point) return <td colSpan={5} className="muted">{t('pf.noSnapshot')}</td>;
  return (
    <>
      <td className="num" data-field="net_value">{fmt.money(point.net_value_amount, currency)}</td>
      <td className="num" data-field="pnl_1d">{fmt.money(point.pnl_1d_amount, currency)}</td>
      <td className="num" data-field="var">{fmt.money(point.var_amount, currency)}</td>
      <td><Zone zone={point.backtest_zone} /></td>
      <td>{fmt.date(point.as_of)}</td>
    </>
  );
}

export function Zone({ zone }: { zone: string | null | undefined }) {
  const { t } = useSession();
  if (!zone) return <span className="muted">–</span>;
  return <span className={`zone zone-${zone}`}>{choiceLabel(t, 'zone', zone)}</span>;
}

// The reporting currency of one portfolio: shown to everyone, changed by those who manage
// portfolios (PATCH /api/v1/portfolios/{id}; the server checks the code and the permission).
function CurrencyCell({ portfolio }: { portfolio: PortfolioRecord }) {
  const { can, t } = useSession();
  const qc = useQueryClient();
  const [value, setValue] = useState(portfolio.base_currency);
  const change = useMutation({
    mutationFn: (c: string) => api<PortfolioRecord>('PATCH', `/api/v1/portfolios/${seg(portfolio.name)}`, { body: { currency: c } }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['portfolios'] }),
  });
  if (!can('manage_portfolios')) return <td data-field="currency">{portfolio.base_currency}</td>;
  return (
    <td data-field="currency">
      <form
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          const c = value.trim().toUpperCase();
          if (c && c !== portfolio.base_currency) change.mutate(c);
        }}
      >
        <input
          aria-label={t('pf.currencyOf', { name: portfolio.name })}
          value={value}
          maxLength={3}
          size={4}
          onChange={(e) => setValue(e.target.value)}
        />
        <button type="submit" disabled={change.isPending || value.trim().toUpperCase() === portfolio.base_currency}>
          {t('pf.setCurrency')}
        </button>
      </form>
      <ErrorBox error={change.error} />
    </td>
  );
}

export function PortfoliosView() {
  const { can, t, fmt } = useSession();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['portfolios'], queryFn: () => api<PortfolioPage>('GET', '/api/v1/portfolios?limit=500') });
  const [name, setName] = useState('');
  const [currency, setCurrency] = useState('USD');
  const create = useMutation({
    mutationFn: (n: string) =>
      api<PortfolioRecord>('POST', '/api/v1/portfolios', { body: { name: n, currency: currency.trim().toUpperCase() } }),
    onSuccess: (p) => {
      setName('');
      void qc.invalidateQueries({ queryKey: ['portfolios'] });
      navigate(`/portfolios/${seg(p.name)}/positions`);
    },
  });
  const del = useMutation({
    mutationFn: (n: string) => api('DELETE', `/api/v1/portfolios/${seg(n)}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['portfolios'] }),
  });
  return (
    <section>
      <h1>{t('pf.title')}</h1>
      {can('manage_portfolios') && (
        <form
          className="inline"
          onSubmit={(e) => {
            e.preventDefault();
            if (name.trim()) create.mutate(name.trim());
          }}
        >
          <label htmlFor="new-portfolio">{t('pf.new')}</label>
          <input id="new-portfolio" value={name} onChange={(e) => setName(e.target.value)} placeholder={t('pf.namePlaceholder')} />
          <label htmlFor="new-portfolio-currency">{t('pf.reportingCurrency')}</label>
          <input id="new-portfolio-currency" value={currency} maxLength={3} size={4} onChange={(e) => setCurrency(e.target.value)} />
          <button type="submit" disabled={create.isPending}>{t('common.create')}</button>
        </form>
      )}
      <ErrorBox error={create.error ?? del.error} />
      {list.isLoading && <Loading what={t('pf.loading')} />}
      <ErrorBox error={list.error} />
      {list.data && list.data.items.length === 0 && <Empty>{t(can('manage_portfolios') ? 'pf.noneCreate' : 'pf.none')}</Empty>}
      {list.data && list.data.items.length > 0 && (
        <TableScroll label={t('pf.title')} testId="portfolios-scroll">
        <table className="list pinned" aria-label={t('pf.title')}>
          <thead>
            <tr>
              <th>{t('common.name')}</th>
              <th className="num">{t('common.positions')}</th>
              <th>{t('pf.reportingCurrency')}</th>
              <th className="num">{t('dash.kpi.net')}</th>
              <th className="num">{t('dash.pnl1d')}</th>
              <th className="num">VaR</th>
              <th>{t('dash.zone')}</th>
              <th>{t('pf.snapshot')}</th>
              <th>{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((p) => (
              <tr key={p.id}>
                <td>
                  <a href={`/portfolios/${seg(p.name)}`} onClick={(e) => { e.preventDefault(); navigate(`/portfolios/${seg(p.name)}`); }}>
                    {p.name}
                  </a>
                </td>
                <td className="num">{fmt.num(p.positions, 0)}</td>
                <CurrencyCell portfolio={p} />
                <LastSnapshot point={p.last_snapshot} currency={p.base_currency} />
                <td>
                  <div className="actions row-actions">
                  {can('import_positions') && (
                    <>
                      <button type="button" onClick={() => navigate(`/portfolios/${seg(p.name)}/positions`)}>{t('dash.editPositions')}</button>
                      <button type="button" onClick={() => navigate(`/portfolios/${seg(p.name)}/import`)}>{t('common.import')}</button>
                    </>
                  )}
                  {can('manage_portfolios') && (
                    <DeleteButton
                      confirm={t('pf.confirmDelete', { name: p.name, count: p.positions })}
                      onDelete={() => del.mutate(p.name)}
                    />
                  )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </TableScroll>
      )}
    </section>
  );
}
