// Parts the IRRBB and CLO views share: the problems of a refused upload, a chosen file's text.
import { useSession } from '../../app/session';

export interface Problem {
  file: string; // the upload, or the zip entry (balance_sheet_zip/liabilities.csv)
  line: string;
  column: string;
  message: string;
}

// One problem of a refused upload: "file:LINE:COLUMN: message", "file:LINE (id X): message" (a row
// named by its id, which stays with the message), or anything else as the message alone.
export function parseProblem(d: string): Problem {
  const m = /^([^:\s]+):(\d+)(?::(\d+))?(?:\s+(\([^)]*\)))?:\s*(.*)$/.exec(d);
  if (!m) return { file: '', line: '', column: '', message: d };
  return { file: m[1]!, line: m[2]!, column: m[3] ?? '', message: m[4] ? `${m[4]} ${m[5]!}` : m[5]! };
}

// Row problems of a refused upload, as a table next to the file's name: the server names every
// problem at once.
export function Problems({ details, label }: { details: string[]; label: string }) {
  const { t } = useSession();
  if (details.length === 0) return null;
  const rows = details.map(parseProblem);
  return (
    <table className="list" aria-label={label} data-testid="problems">
      <thead>
        <tr>
          <th>{t('problems.where')}</th>
          <th className="num">{t('common.line')}</th>
          <th className="num">{t('problems.column')}</th>
          <th>{t('problems.problem')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i} className="bad" data-line={r.line} data-file={r.file}>
            <td>{r.file}</td>
            <td className="num">{r.line}</td>
            <td className="num">{r.column}</td>
            <td className="problems">{r.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

// The text of a file chosen in an <input type="file">.
export function readFile(input: HTMLInputElement | null): Promise<string | null> {
  const f = input?.files?.[0];
  return f ? f.text() : Promise.resolve(null);
}
