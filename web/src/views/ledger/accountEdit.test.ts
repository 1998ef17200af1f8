// The account settings form: a save sends only the fields changed (so a rename alone does not
// rewrite the notes), and the form's own checks are the server's limits (200 bytes of name and
// institution, 2000 of notes, counted in UTF-8 as the server counts them).
import { describe, expect, it } from 'vitest';
import { accountChanges, formOf, formProblems } from './accountEdit';

const stored = formOf({ name: 'ira', type: 'brokerage', institution: '', notes: 'old', method: 'fifo', allow_short: false });

describe('accountChanges', () => {
  it('sends nothing when nothing changed', () => {
    expect(accountChanges(stored, { ...stored })).toEqual({});
  });
  it('sends exactly the changed fields, the name trimmed', () => {
    const form = { ...stored, name: '  roth ira ', type: 'retirement', institution: 'Vanguard', method: 'hifo' };
    expect(accountChanges(stored, form)).toEqual({ name: 'roth ira', type: 'retirement', institution: 'Vanguard', method: 'hifo' });
  });
  it('sends a cleared field and a switched flag', () => {
    expect(accountChanges(stored, { ...stored, notes: '', allow_short: true })).toEqual({ notes: '', allow_short: true });
  });
  it('does not count spaces around an unchanged name as a rename', () => {
    expect(accountChanges(stored, { ...stored, name: ' ira ' })).toEqual({});
  });
});

describe('formProblems', () => {
  it('accepts the stored account', () => {
    expect(formProblems(stored)).toEqual([]);
  });
  it('names an empty name and over-long texts', () => {
    expect(formProblems({ ...stored, name: '   ' })).toEqual(['name.required']);
    expect(formProblems({ ...stored, name: 'n'.repeat(201), institution: 'i'.repeat(201), notes: 'x'.repeat(2001) })).toEqual([
      'name.long',
      'institution.long',
      'notes.long',
    ]);
  });
  it('counts bytes as the server does: 100 two-byte letters fit, 101 do not', () => {
    expect(formProblems({ ...stored, name: 'ä'.repeat(100) })).toEqual([]);
    expect(formProblems({ ...stored, name: 'ä'.repeat(101) })).toEqual(['name.long']);
  });
});
