// Parts the IRRBB and CLO views share: the problems of a refused upload, a chosen file's text.
import { useSession } from '../../app/session';

// Row problems of a refused upload ("file:LINE:COLUMN: message", or "field.path: message"), as a
// table next to the file's name: the server names every problem at once.
export function Problems({ details, label }: { details: string[]; label: string }) {
  const { t } = useSession();
  if (details.length === 0) return null;
  const rows = details.map((d) => {
    const m = /^([^:\s]+):(\d+)(?::(\d+))?:\s*(.*)$/.exec(d);
    return m ? { file: m[1]!, line: m[2]!, column: m[3] ?? '', message: m[4]! } : { file: '', line: '', column: '', message: d };
  });
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
