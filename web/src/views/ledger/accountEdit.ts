// The account settings form's rules: which fields a save sends (only those changed) and what is
// wrong with the form before anything is sent (the API checks the same and names the field).
import type { Account } from '../../api/types';

export const ACCOUNT_TYPES = ['brokerage', 'retirement', 'checking', 'savings', 'credit_card', 'loan', 'crypto', 'property', 'other'] as const;
export const LOT_METHODS = ['fifo', 'lifo', 'hifo', 'average', 'specific'] as const;

export interface AccountForm {
  name: string;
  type: string;
  institution: string;
  notes: string;
  method: string;
  allow_short: boolean;
}

export function formOf(a: Pick<Account, 'name' | 'type' | 'institution' | 'notes' | 'method' | 'allow_short'>): AccountForm {
  return { name: a.name, type: a.type, institution: a.institution, notes: a.notes, method: a.method, allow_short: a.allow_short };
}

// The PUT body: the fields whose value differs from the account's (the name trimmed).
export function accountChanges(before: AccountForm, form: AccountForm): Partial<AccountForm> {
  const out: Partial<AccountForm> = {};
  const name = form.name.trim();
  if (name !== before.name) out.name = name;
  if (form.type !== before.type) out.type = form.type;
  if (form.institution !== before.institution) out.institution = form.institution;
  if (form.notes !== before.notes) out.notes = form.notes;
  if (form.method !== before.method) out.method = form.method;
  if (form.allow_short !== before.allow_short) out.allow_short = form.allow_short;
  return out;
}

export type FormProblem = 'name.required' | 'name.long' | 'institution.long' | 'notes.long';

// Lengths in UTF-8 bytes, as the server counts them.
const bytes = (s: string) => new TextEncoder().encode(s).length;

export function formProblems(form: AccountForm): FormProblem[] {
  const out: FormProblem[] = [];
  const name = form.name.trim();
  if (!name) out.push('name.required');
  else if (bytes(name) > 200) out.push('name.long');
  if (bytes(form.institution) > 200) out.push('institution.long');
  if (bytes(form.notes) > 2000) out.push('notes.long');
  return out;
}
