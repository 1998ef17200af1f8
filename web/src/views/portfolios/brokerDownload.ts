// Brokers' positions downloads (docs/formats.md, "Brokers' positions downloads"): the server reads a
// Fidelity "Portfolio Positions", Schwab "Positions" or Vanguard download as it comes, so the import view
// sends such a file untouched (no column mapping) and offers its accounts to choose one. This is
// only the recognition the view needs; the server reads and checks the file itself.

export interface BrokerDownload {
  format: 'fidelity' | 'schwab' | 'vanguard' | 'statement';
  accounts: string[]; // in the order the file names them
}

const norm = (s: string) => s.trim().toLowerCase();
const has = (row: string[], names: string[]) => row.some((c) => names.includes(norm(c)));
const onlyFirst = (row: string[]) => row.length > 0 && row[0]!.trim() !== '' && row.slice(1).every((c) => c.trim() === '');

// An OFX/QFX or IBKR Flex Query statement, told from its first bytes as the server tells it.
export const isStatement = (text: string): boolean => /OFXHEADER:|<OFX>|<FlexQueryResponse|<FlexStatements/i.test(text.slice(0, 4096));

// `rows`: the file's records without its empty lines (parseCsv, filtered).
export function detectBrokerDownload(rows: string[][]): BrokerDownload | null {
  const first = rows[0] ?? [];
  if (first.length && isStatement(first.join(','))) return { format: 'statement', accounts: [] };
  const fidelity = has(first, ['quantity']) && has(first, ['current value']);
  const vanguard = has(first, ['investment name']) && has(first, ['shares']) && has(first, ['total value']) && !has(first, ['trade date']);
  if (has(first, ['account number']) && has(first, ['symbol']) && (fidelity || vanguard)) {
    const account = first.findIndex((c) => norm(c) === 'account number');
    const symbol = first.findIndex((c) => norm(c) === 'symbol');
    const accounts: string[] = [];
    for (const r of rows.slice(1)) {
      // Fidelity's disclaimers, Vanguard's transactions section: the holdings end there.
      if ((r[symbol] ?? '').trim() === '' || norm(r[0] ?? '') === 'account number') break;
      const a = (r[account] ?? '').trim();
      if (a && !accounts.includes(a)) accounts.push(a);
    }
    return { format: fidelity ? 'fidelity' : 'vanguard', accounts };
  }
  const titled = norm(first[0] ?? '').startsWith('positions for ');
  const schwabHeader = (r: string[]) =>
    has(r, ['symbol']) && has(r, ['description']) && has(r, ['quantity', 'qty (quantity)', 'qty']) &&
    has(r, ['market value', 'mkt val (market value)', 'mkt val']);
  if (!titled && !(schwabHeader(first) && has(first, ['security type', 'asset type']))) return null;
  const accounts: string[] = [];
  for (const r of rows) {
    if (!onlyFirst(r)) continue;
    let title = r[0]!.trim();
    if (norm(title).startsWith('positions for ')) {
      title = title.slice('positions for '.length);
      if (!norm(title).startsWith('account ')) continue; // "Positions for All-Accounts ...": titles follow
      title = title.slice('account '.length);
      const asOf = title.indexOf(' as of ');
      if (asOf >= 0) title = title.slice(0, asOf);
    }
    title = title.trim();
    if (title && !accounts.includes(title)) accounts.push(title);
  }
  return { format: 'schwab', accounts };
}
