// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { renderHook } from '@testing-library/react';
import { useFirstAnswers } from './firstAnswers';

describe('useFirstAnswers', () => {
  it('waits for the first answers, then stays answered through reloads', () => {
    const { result, rerender } = renderHook(({ loading }) => useFirstAnswers(loading), { initialProps: { loading: true } });
    expect(result.current).toBe(false);
    rerender({ loading: true });
    expect(result.current).toBe(false);
    rerender({ loading: false });
    expect(result.current).toBe(true);
    // A reload (a query reset, another currency) loads again: the view stays.
    rerender({ loading: true });
    expect(result.current).toBe(true);
  });

  it('is answered at once when nothing is loading', () => {
    const { result } = renderHook(() => useFirstAnswers(false));
    expect(result.current).toBe(true);
  });
});
