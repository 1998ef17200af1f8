import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, revokeToken } from './client';

afterEach(() => vi.unstubAllGlobals());

function answer(status: number, body = '') {
  const calls: [string, RequestInit][] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push([url, init]);
    return new Response(status === 204 ? null : body, { status, headers: { 'X-Request-Id': 'r1' } });
  });
  return calls;
}

describe('revokeToken', () => {
  it('posts the token to /api/v1/auth/logout', async () => {
    const calls = answer(204);
    await revokeToken('tok');
    expect(calls).toHaveLength(1);
    expect(calls[0]![0]).toBe('/api/v1/auth/logout');
    expect(calls[0]![1].method).toBe('POST');
    expect((calls[0]![1].headers as Record<string, string>).Authorization).toBe('Bearer tok');
  });

  it('takes 200, 204, 401 and 404 as signed out', async () => {
    for (const s of [200, 204, 401, 404]) {
      answer(s);
      await expect(revokeToken('tok')).resolves.toBeUndefined();
    }
  });

  it('throws the server error for anything else', async () => {
    answer(503, JSON.stringify({ error: { code: 'unavailable', message: 'store busy', details: [], request_id: 'r9' } }));
    const e = await revokeToken('tok').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).status).toBe(503);
    expect((e as ApiError).message).toBe('store busy');
    expect((e as ApiError).requestId).toBe('r9');
  });
});
