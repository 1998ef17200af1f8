// The broker mapping document (docs/ledger.md, "Broker mappings") that the import page's column
// chooser makes; the server checks it (PUT /api/v1/ledger/mappings/NAME, or inline in an import).
// keel's transaction columns (docs/ledger.md "Input: transactions").
export const COLUMNS = ['date', 'type', 'symbol', 'quantity', 'price', 'fees', 'amount', 'lot_id', 'split_ratio', 'currency', 'note', 'method', 'account'];
export const TYPES = ['BUY', 'SELL', 'DIVIDEND', 'INTEREST', 'FEE', 'DEPOSIT', 'WITHDRAWAL', 'SPLIT', 'TRANSFER_IN', 'TRANSFER_OUT', 'IGNORE'];
export const DATE_FORMATS = ['%Y-%m-%d', '%m/%d/%Y', '%d/%m/%Y', '%d.%m.%Y', '%Y%m%d'];

export interface Custom {
  columns: Record<string, string>; // file header -> keel column ('' = leave out)
  date_format: string;
  types: Record<string, string>; // type text -> keel type
  signed: boolean; // quantities and amounts carry signs: keep only their size
  prefix: boolean; // type texts match by prefix
}

// The mapping document (docs/ledger.md "Broker mappings") made by the column chooser.
export function customDocument(c: Custom): Record<string, unknown> {
  const columns = Object.fromEntries(Object.entries(c.columns).filter(([, v]) => v));
  const doc: Record<string, unknown> = { columns, date_format: c.date_format };
  if (Object.keys(c.types).length) doc.types = c.types;
  if (c.prefix) doc.type_match = 'prefix';
  if (c.signed) doc.absolute = ['quantity', 'amount', 'fees'];
  return doc;
}

