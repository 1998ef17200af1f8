// Just enough CSV for the import preview and column mapping (RFC 4180 quoting); the server reads
// and validates the file itself.
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

const quote = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
// The rows as CSV text. finalNewline false keeps a chosen file's missing last line ending, so that
// the server still sees it (and warns that the file may be truncated).
export function toCsv(rows: string[][], finalNewline = true): string {
  return rows.map((r) => r.map(quote).join(',')).join('\n') + (finalNewline ? '\n' : '');
}

// Whether a file's text ends with a line ending (an empty file counts as ending with one).
export const endsWithLineEnding = (text: string): boolean => text === '' || /[\r\n]$/.test(text);

// "body.csv:3:2: quantity: expected a number" -> {line: 3, column: 2, message}
export interface RowProblem {
  line: number;
  column: number | null;
  message: string;
}
export function parseProblem(detail: string): RowProblem | null {
  const m = /^[^:]*:(\d+)(?::(\d+))?:\s*(.*)$/.exec(detail);
  if (!m) return null;
  return { line: Number(m[1]), column: m[2] ? Number(m[2]) : null, message: m[3] ?? '' };
}
