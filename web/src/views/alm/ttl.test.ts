// The new-session form's lifetimes follow the server's limit; who may share a session.
import { describe, expect, it } from 'vitest';
import { mayManageSession, ttlChoices } from './ttl';

describe('ttlChoices', () => {
  it('offers the choices up to the maximum, which is one of them', () => {
    expect(ttlChoices(604800)).toEqual([3600, 86400, 604800]);
    expect(ttlChoices(2592000)).toEqual([3600, 86400, 604800, 2592000]);
  });
  it('adds the maximum when it is none of the choices, in order', () => {
    expect(ttlChoices(172800)).toEqual([3600, 86400, 172800]);
    expect(ttlChoices(90 * 86400)).toEqual([3600, 86400, 604800, 2592000, 90 * 86400]);
  });
  it('offers only the maximum when it is under every choice', () => {
    expect(ttlChoices(600)).toEqual([600]);
  });
  it('offers every choice while the limits are unknown', () => {
    expect(ttlChoices(undefined)).toEqual([3600, 86400, 604800, 2592000]);
    expect(ttlChoices(0)).toEqual([3600, 86400, 604800, 2592000]);
  });
});

describe('mayManageSession', () => {
  const ana = { username: 'ana', role: 'analyst' };
  it('the owner, an administrator, anyone for a session without owner; never a role without the permission', () => {
    expect(mayManageSession({ owner: 'ana' }, ana, true)).toBe(true);
    expect(mayManageSession({ owner: 'bob' }, ana, true)).toBe(false);
    expect(mayManageSession({ owner: 'bob' }, { username: 'root', role: 'admin' }, true)).toBe(true);
    expect(mayManageSession({ owner: 'bob' }, { username: 'mia', role: 'manager' }, true)).toBe(false);
    expect(mayManageSession({ owner: '' }, ana, true)).toBe(true);
    expect(mayManageSession({ owner: 'ana' }, ana, false)).toBe(false);
  });
});
