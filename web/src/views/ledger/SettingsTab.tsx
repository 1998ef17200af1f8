// An account's settings: its name, type, institution, notes, lot method and short sales. Managers
// and administrators change them (PUT /api/v1/accounts/{id}: only the fields changed are sent, each
// refusal shown next to its field); others read them. A rename moves the page to the new name.
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../api/client';
import type { Account, AccountShow } from '../../api/types';
import { navigate } from '../../app/router';
import { choiceLabel, fieldLabel, type PlainKey } from '../../app/i18n';
import { useSession } from '../../app/session';
import { fieldOf } from '../../components/ParamControls';
import { ErrorBox } from '../../components/States';
import { accountChanges, formOf, formProblems, type AccountForm, type FormProblem } from './accountEdit';

const PROBLEMS: Record<FormProblem, PlainKey> = {
  'name.required': 'ledger.settings.nameRequired',
  'name.long': 'ledger.settings.nameLong',
  'institution.long': 'ledger.settings.institutionLong',
  'notes.long': 'ledger.settings.notesLong',
};

export function SettingsTab({ account }: { account: AccountShow }) {
  const { can, t } = useSession();
  const qc = useQueryClient();
  const stored = formOf(account);
  const [form, setForm] = useState<AccountForm>(stored);
  const problems = formProblems(form);
  const changes = accountChanges(stored, form);
  const editable = can('manage_portfolios');
  const save = useMutation({
    mutationFn: () => api<Account>('PUT', `/api/v1/accounts/${account.id}`, { body: changes }),
    onSuccess: (a) => {
      void qc.invalidateQueries({ queryKey: ['accounts'] });
      void qc.invalidateQueries({ queryKey: ['account'] });
      if (a.name !== account.name) navigate(`/ledger/${seg(a.name)}?tab=settings`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (problems.length === 0 && Object.keys(changes).length > 0) save.mutate();
  };
  const set = <K extends keyof AccountForm>(k: K, v: AccountForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const choices = (f: string) => fieldOf('AccountUpdateRequest', f).enum ?? [];
  const problem = (field: string) => problems.filter((p) => p.startsWith(`${field}.`)).map((p) => t(PROBLEMS[p]));
  return (
    <form className="stack" onSubmit={submit} aria-label={t('ledger.settings.form')}>
      <label htmlFor="acct-name">{fieldLabel(t, 'name')}</label>
      <input id="acct-name" value={form.name} disabled={!editable} maxLength={200} onChange={(e) => set('name', e.target.value)} />
      {problem('name').map((p) => <span key={p} className="fail">{p}</span>)}
      <label htmlFor="acct-type">{fieldLabel(t, 'type')}</label>
      <select id="acct-type" value={form.type} disabled={!editable} onChange={(e) => set('type', e.target.value)}>
        {choices('type').map((v) => <option key={v} value={v}>{choiceLabel(t, 'type', v)}</option>)}
      </select>
      <label htmlFor="acct-institution">{fieldLabel(t, 'institution')}</label>
      <input id="acct-institution" value={form.institution} disabled={!editable} onChange={(e) => set('institution', e.target.value)} />
      {problem('institution').map((p) => <span key={p} className="fail">{p}</span>)}
      <label htmlFor="acct-notes">{fieldLabel(t, 'notes')}</label>
      <textarea id="acct-notes" value={form.notes} disabled={!editable} rows={4} onChange={(e) => set('notes', e.target.value)} />
      {problem('notes').map((p) => <span key={p} className="fail">{p}</span>)}
      <label htmlFor="acct-method">{fieldLabel(t, 'method')}</label>
      <select id="acct-method" value={form.method} disabled={!editable} onChange={(e) => set('method', e.target.value)}>
        {choices('method').map((v) => <option key={v} value={v}>{choiceLabel(t, 'method', v)}</option>)}
      </select>
      <label htmlFor="acct-short" className="check">
        <input id="acct-short" type="checkbox" checked={form.allow_short} disabled={!editable} onChange={(e) => set('allow_short', e.target.checked)} />
        {fieldLabel(t, 'allow_short')}
      </label>
      {editable && (
        <button type="submit" className="primary" disabled={save.isPending || problems.length > 0 || Object.keys(changes).length === 0}>
          {t('ledger.settings.save')}
        </button>
      )}
      {save.isSuccess && Object.keys(changes).length === 0 && <span role="status" className="muted">{t('ledger.settings.saved')}</span>}
      <ErrorBox error={save.error} />
    </form>
  );
}
