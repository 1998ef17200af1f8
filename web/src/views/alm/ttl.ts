// The lifetimes the new-session form offers (docs/alm.md "Sessions"): the usual choices the
// server takes — those up to its longest, GET /api/v1/alm/limits' max_ttl_seconds — and that
// longest itself when it is none of them; the longest is also the server's default.
export const TTL_CHOICES = [3600, 86400, 604800, 2592000] as const;

export function ttlChoices(maxSeconds: number | null | undefined, choices: readonly number[] = TTL_CHOICES): number[] {
  if (maxSeconds == null || !Number.isFinite(maxSeconds) || maxSeconds <= 0) return [...choices];
  const offered = choices.filter((s) => s <= maxSeconds);
  if (!offered.includes(maxSeconds)) offered.push(maxSeconds);
  return offered.sort((a, b) => a - b);
}

// Whether the signed-in user may share, make private or delete a session: its owner, anyone when it
// has no owner (stored before owners), an administrator always — and only a role allowed to manage
// sessions at all (the server's rule: service/alm_sessions.cpp).
export function mayManageSession(session: { owner: string }, me: { username: string; role: string }, allowed: boolean): boolean {
  return allowed && (session.owner === '' || session.owner === me.username || me.role === 'admin');
}
