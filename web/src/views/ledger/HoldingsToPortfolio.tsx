// The ledger's holdings as a portfolio, for their market risk: the accounts' shares summed per
// symbol at their average cost and the cash per currency become a portfolio's positions
// (POST /api/v1/portfolios/{id}/positions/from-ledger), then the portfolio's dashboard opens. A
// name that is not a portfolio yet is created first (POST /api/v1/portfolios) when the user may.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, seg } from '../../api/client';
import type { Account, PortfolioPage, PortfolioRecord, PositionsImportResult } from '../../api/types';
import { navigate } from '../../app/router';
import { useSession } from '../../app/session';
import { ErrorBox } from '../../components/States';

export function HoldingsToPortfolio({ accounts }: { accounts: Account[] }) {
  const { can, t } = useSession();
  const qc = useQueryClient();
  const portfolios = useQuery({
    queryKey: ['portfolios'],
    queryFn: () => api<PortfolioPage>('GET', '/api/v1/portfolios?limit=500'),
  });
  const [name, setName] = useState('household');
  const [account, setAccount] = useState('');
  const run = useMutation({
    mutationFn: async () => {
      const target = name.trim();
      const known = portfolios.data?.items.some((p) => p.name === target);
      if (!known) {
        try {
          await api<PortfolioRecord>('POST', '/api/v1/portfolios', { body: { name: target } });
        } catch (e) {
          if (!(e instanceof ApiError && e.status === 409)) throw e;  // made meanwhile: use it
        }
      }
      const body = account ? { account } : {};
      return api<PositionsImportResult>('POST', `/api/v1/portfolios/${seg(target)}/positions/from-ledger`, { body });
    },
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: ['portfolios'] });
      navigate(`/portfolios/${seg(r.portfolio)}`);
    },
  });
  if (!can('import_positions') || accounts.length === 0) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) run.mutate();
  };
  return (
    <>
      <h2>{t('ledger.toPortfolio')}</h2>
      <p className="muted">{t('ledger.toPortfolioHelp')}</p>
      <form className="inline" onSubmit={submit} aria-label={t('ledger.toPortfolio')}>
        <label htmlFor="holdings-account">{t('ledger.account')}</label>
        <select id="holdings-account" value={account} onChange={(e) => setAccount(e.target.value)}>
          <option value="">{t('ledger.allAccounts')}</option>
          {accounts.map((a) => <option key={a.id} value={a.name}>{a.name}</option>)}
        </select>
        <label htmlFor="holdings-portfolio">{t('ledger.intoPortfolio')}</label>
        <input id="holdings-portfolio" list="holdings-portfolios" value={name} onChange={(e) => setName(e.target.value)} required />
        <datalist id="holdings-portfolios">
          {portfolios.data?.items.map((p) => <option key={p.id} value={p.name} />)}
        </datalist>
        <button type="submit" disabled={run.isPending}>{t('ledger.toPortfolioRun')}</button>
      </form>
      <ErrorBox error={run.error} />
    </>
  );
}
