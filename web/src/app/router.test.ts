// @vitest-environment jsdom
// The leave guard: while a view holds one, going to another path asks, and a "no" stays; the
// query may change without asking; a declined back or forward puts the URL back.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderHook } from '@testing-library/react';
import { confirmLeave, navigate, useLeaveGuard } from './router';

afterEach(() => {
  vi.restoreAllMocks();
  history.replaceState(null, '', '/');
});

describe('useLeaveGuard', () => {
  it('asks before another path, not before a query change; a "no" stays', () => {
    navigate('/portfolios/hnw/positions');
    const ask = vi.spyOn(window, 'confirm').mockReturnValue(false);
    const { unmount } = renderHook(() => useLeaveGuard('2 unsaved changes will be lost'));
    navigate('/portfolios/hnw/positions?x=1', true);
    expect(ask).not.toHaveBeenCalled();
    expect(location.search).toBe('?x=1');
    navigate('/portfolios');
    expect(ask).toHaveBeenCalledWith('2 unsaved changes will be lost');
    expect(location.pathname).toBe('/portfolios/hnw/positions');
    ask.mockReturnValue(true);
    navigate('/portfolios');
    expect(location.pathname).toBe('/portfolios');
    unmount();
  });
  it('asks nothing without a guard, or once the view has gone', () => {
    const ask = vi.spyOn(window, 'confirm').mockReturnValue(false);
    const { unmount } = renderHook(() => useLeaveGuard(null));
    expect(confirmLeave()).toBe(true);
    unmount();
    const held = renderHook(() => useLeaveGuard('unsaved'));
    expect(confirmLeave()).toBe(false);
    held.unmount();
    expect(confirmLeave()).toBe(true);
    expect(ask).toHaveBeenCalledTimes(1);
  });
  it('puts the URL back when a back or forward is declined', () => {
    navigate('/portfolios/hnw/positions');
    const ask = vi.spyOn(window, 'confirm').mockReturnValue(false);
    const heard = vi.fn();
    window.addEventListener('popstate', heard);
    const { unmount } = renderHook(() => useLeaveGuard('unsaved'));
    // What the browser does on back: the URL is already the previous one when popstate comes.
    history.replaceState(null, '', '/portfolios');
    window.dispatchEvent(new PopStateEvent('popstate'));
    expect(ask).toHaveBeenCalledTimes(1);
    expect(location.pathname).toBe('/portfolios/hnw/positions');
    expect(heard).not.toHaveBeenCalled(); // the views never heard of it
    window.removeEventListener('popstate', heard);
    unmount();
  });
});
