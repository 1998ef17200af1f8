// @vitest-environment jsdom
// Single sign-on's way back (src/app/singleSignOn.ts): a redirect counts only with the state this
// tab kept; the provider's error is read as text; the landing page is a page of this app.
import { afterEach, describe, expect, it } from 'vitest';
import { forgetStarted, isWebUrl, keepStarted, keptStarted, landingOf, parseStarted, readRedirect, SSO_KEY } from './singleSignOn';

afterEach(() => sessionStorage.clear());

const q = (s: string) => new URLSearchParams(s);
const started = { state: 'S1', back: '/portfolios/hnw?tab=var' };

describe('readRedirect', () => {
  it('takes the code when the state is the one kept', () => {
    expect(readRedirect(q('code=C&state=S1'), started)).toEqual({ kind: 'code', code: 'C', state: 'S1', back: '/portfolios/hnw?tab=var' });
  });
  it('refuses another state, no state, or no sign-in started here', () => {
    expect(readRedirect(q('code=C&state=forged'), started)).toEqual({ kind: 'foreign' });
    expect(readRedirect(q('code=C'), started)).toEqual({ kind: 'foreign' });
    expect(readRedirect(q('code=C&state=S1'), null)).toEqual({ kind: 'foreign' });
    expect(readRedirect(q('state=S1'), started)).toEqual({ kind: 'foreign' });
  });
  it("reads the provider's error and description, with the state checked first", () => {
    expect(readRedirect(q('error=access_denied&error_description=%3Cb%3Eno%3C%2Fb%3E&state=S1'), started)).toEqual({
      kind: 'refused',
      error: 'access_denied',
      description: '<b>no</b>',
      back: '/portfolios/hnw?tab=var',
    });
    expect(readRedirect(q('error=access_denied&state=other'), started)).toEqual({ kind: 'foreign' });
  });
});

describe('landingOf', () => {
  it('lands where the user was, but never on a sign-in page or off the app', () => {
    expect(landingOf('/ledger/Brokerage?tab=income')).toBe('/ledger/Brokerage?tab=income');
    expect(landingOf('/signin')).toBe('/');
    expect(landingOf('/sign-in/oidc?code=x')).toBe('/');
    expect(landingOf('//evil.example/x')).toBe('/');
    expect(landingOf('https://evil.example/')).toBe('/');
    expect(landingOf('')).toBe('/');
    expect(landingOf(null)).toBe('/');
  });
});

describe('the sign-in started in this tab', () => {
  it('is kept in sessionStorage, read back and forgotten', () => {
    expect(keptStarted()).toBeNull();
    keepStarted(started);
    expect(keptStarted()).toEqual(started);
    forgetStarted();
    expect(keptStarted()).toBeNull();
  });
  it('reads nothing from an entry it did not write', () => {
    sessionStorage.setItem(SSO_KEY, '{"state":""}');
    expect(keptStarted()).toBeNull();
    expect(parseStarted('not json')).toBeNull();
    expect(parseStarted('{"state":"S","back":"//evil.example"}')).toEqual({ state: 'S', back: '/' });
  });
});

describe('isWebUrl', () => {
  it('sends the browser to http and https only', () => {
    expect(isWebUrl('https://login.bank.example/authorize?x=1')).toBe(true);
    expect(isWebUrl('http://127.0.0.1:1234/authorize')).toBe(true);
    expect(isWebUrl('javascript:alert(1)')).toBe(false);
    expect(isWebUrl('/relative')).toBe(false);
  });
});
