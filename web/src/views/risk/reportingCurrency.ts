// The dashboard's reporting currency. The API names the currency of every amount it gives (the
// report's summary.currency, a portfolio's currency); the dashboard never guesses it from the
// positions. A viewer may look at the book in another currency for this view only (the URL's
// ?currency=, sent to every request of the page); a manager may make it the stored one (PATCH).
const CODE = /^[A-Z]{3}$/;

// The view's currency from the URL: a three-letter code (upper-cased), else none (the stored one).
export function viewCurrency(query: URLSearchParams): string | undefined {
  const c = (query.get('currency') ?? '').trim().toUpperCase();
  return CODE.test(c) ? c : undefined;
}

// The currencies offered by the selector: the stored reporting currency first, then the currencies
// of the positions and of the stored FX pairs, each once, in alphabetical order.
export function currencyChoices(stored: string | undefined, ...lists: readonly (readonly (string | null | undefined)[])[]): string[] {
  const rest = new Set<string>();
  for (const list of lists) for (const c of list) if (c && CODE.test(c.toUpperCase())) rest.add(c.toUpperCase());
  const first = stored && CODE.test(stored) ? stored : undefined;
  if (first) rest.delete(first);
  return [...(first ? [first] : []), ...[...rest].sort()];
}

// A compute request's body in the view's currency (unchanged for the stored one).
export function inCurrency<T extends Record<string, unknown>>(body: T, currency: string | undefined): T & { currency?: string } {
  return currency ? { ...body, currency } : body;
}

// The report's path with the view's currency as its query.
export function reportPath(portfolioSeg: string, currency: string | undefined): string {
  return `/api/v1/portfolios/${portfolioSeg}/report` + (currency ? `?currency=${encodeURIComponent(currency)}` : '');
}
