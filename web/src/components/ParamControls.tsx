// Parameter controls whose choices, ranges, defaults and units come from the OpenAPI document's
// request schemas (src/api/generated/params.json, made by `npm run gen`). Values live in the URL.
// A date field is a date input; a boolean field is a checkbox; a field without a default (an optional bound) may be left empty,
// which leaves it out of the request.
// Each control is labelled in words from the label table (src/app/i18n.ts fieldLabel), never with
// the field's name; its choices by their labels (choiceLabel), their values being the API's names.
// With `percent`, a number field whose unit is a fraction or decimal (0.04 = 4 %) is typed and shown
// in percent and sent as the fraction the API takes (src/app/percent.ts); the URL keeps the fraction.
// `units` names a field's unit after its label ("Balance (EUR)").
import params from '../api/generated/params.json';
import { choiceLabel, fieldLabel } from '../app/i18n';
import { fractionToPercent, percentText, percentToFraction } from '../app/percent';
import { setQuery } from '../app/router';
import { useSession } from '../app/session';

interface Prop {
  type?: string | string[];
  enum?: string[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  default?: unknown;
  description?: string;
  'x-unit'?: string;
  format?: string;
}
const schemas = params as unknown as Record<string, Record<string, Prop>>;

export function fieldOf(schema: string, field: string): Prop {
  return schemas[schema]?.[field] ?? {};
}

// The body of a request from the URL's query: only the fields the schema has, typed as it says.
export function bodyFrom(schema: string, fields: string[], query: URLSearchParams): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    const v = query.get(f);
    if (v === null || v === '') continue;
    const p = fieldOf(schema, f);
    const types = Array.isArray(p.type) ? p.type : [p.type];
    body[f] = types.includes('boolean') ? v === 'true' : types.includes('integer') ? parseInt(v, 10) : types.includes('number') ? Number(v) : v;
  }
  return body;
}

// Whether a field's value is a fraction of one (x-unit "fraction", "decimal, 0.04 = 4%", ...).
export function isFraction(p: Prop): boolean {
  return /^(fraction|decimal)\b/.test(p['x-unit'] ?? '');
}

export function ParamControls({ schema, fields, query, label, percent = false, units = {} }: {
  schema: string;
  fields: string[];
  query: URLSearchParams;
  label?: string;
  percent?: boolean;
  units?: Record<string, string>;
}) {
  const { t } = useSession();
  return (
    <form className="params" onSubmit={(e) => e.preventDefault()} aria-label={label ?? t('params.form')}>
      {fields.map((f) => {
        const p = fieldOf(schema, f);
        const value = query.get(f) ?? (p.default === undefined || Array.isArray(p.default) ? '' : String(p.default));
        const title = [p.description, p['x-unit']].filter(Boolean).join(' · ');
        const id = `param-${f}`;
        if (p.enum) {
          return (
            <label key={f} htmlFor={id} title={title}>
              {fieldLabel(t, f)}
              <select id={id} value={value} onChange={(e) => setQuery({ [f]: e.target.value })}>
                {p.enum.map((o) => (
                  <option key={o} value={o}>{choiceLabel(t, f, o)}</option>
                ))}
              </select>
            </label>
          );
        }
        if (p.format === 'date') {
          return (
            <label key={f} htmlFor={id} title={title}>
              {fieldLabel(t, f)}
              <input id={id} type="date" value={value} onChange={(e) => setQuery({ [f]: e.target.value || null })} />
            </label>
          );
        }
        const types = Array.isArray(p.type) ? p.type : [p.type];
        if (types.includes('boolean')) {
          return (
            <label key={f} htmlFor={id} title={title} className="check">
              <input id={id} type="checkbox" checked={value === 'true'} onChange={(e) => setQuery({ [f]: e.target.checked === (p.default === true) ? null : String(e.target.checked) })} />
              {fieldLabel(t, f)}
            </label>
          );
        }
        const integer = types.includes('integer');
        const asPercent = percent && !integer && isFraction(p);
        // No default: the field is optional, and an empty input leaves it out.
        const optional = p.default === undefined;
        const scale = (x: number | undefined) => (x === undefined || !asPercent ? x : fractionToPercent(x) ?? undefined);
        const min = scale(p.minimum ?? p.exclusiveMinimum);
        const max = scale(p.maximum ?? p.exclusiveMaximum);
        const unit = asPercent ? '%' : units[f];
        const shown = asPercent ? percentText(value) : value;
        return (
          <label key={f} htmlFor={id} title={title}>
            {unit ? t('params.withUnit', { label: fieldLabel(t, f), unit }) : fieldLabel(t, f)}
            <input
              id={id}
              // A new value from elsewhere (the URL, a seed) shows at once.
              key={shown}
              type="number"
              min={min}
              max={max}
              step={integer ? 1 : 'any'}
              defaultValue={shown}
              onBlur={(e) => {
                if (optional && e.target.value.trim() === '') {
                  e.target.setCustomValidity('');
                  setQuery({ [f]: null });
                  return;
                }
                const typed = e.target.value;
                const n = asPercent ? (percentToFraction(typed) ?? Number.NaN) : Number(typed);
                const valid =
                  typed !== '' &&
                  Number.isFinite(n) &&
                  (p.minimum === undefined || n >= p.minimum) &&
                  (p.maximum === undefined || n <= p.maximum) &&
                  (p.exclusiveMinimum === undefined || n > p.exclusiveMinimum) &&
                  (p.exclusiveMaximum === undefined || n < p.exclusiveMaximum);
                e.target.setCustomValidity(valid ? '' : t(integer ? 'params.expectInteger' : 'params.expectNumber', { min: min ?? '-∞', max: max ?? '∞' }));
                if (valid) setQuery({ [f]: asPercent ? String(n) : typed });
                else e.target.reportValidity();
              }}
            />
          </label>
        );
      })}
    </form>
  );
}


