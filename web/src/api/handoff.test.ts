// The IndexedDB hand-off gives up quietly: without IndexedDB (jsdom, a browser that refuses it)
// nothing is handed over, and an IndexedDB that never answers does not hold the refresh lock.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readHandoff, writeHandoff } from './handoff';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('handoff', () => {
  it('hands nothing over without IndexedDB', async () => {
    expect(typeof indexedDB).toBe('undefined');
    await expect(writeHandoff(null)).resolves.toBeUndefined();
    await expect(readHandoff()).resolves.toBeNull();
  });

  it('gives up on an IndexedDB that never answers', async () => {
    vi.useFakeTimers();
    vi.stubGlobal('indexedDB', { open: () => ({}) });
    const read = readHandoff();
    const write = writeHandoff(null);
    await vi.advanceTimersByTimeAsync(2_000);
    await expect(read).resolves.toBeNull();
    await expect(write).resolves.toBeUndefined();
  });

  it('gives up on an IndexedDB that fails', async () => {
    vi.stubGlobal('indexedDB', {
      open: () => {
        const r: { onerror?: () => void; error: Error } = { error: new Error('denied') };
        setTimeout(() => r.onerror?.(), 0);
        return r;
      },
    });
    await expect(readHandoff()).resolves.toBeNull();
  });
});
