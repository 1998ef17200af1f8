import { describe, expect, it } from 'vitest';
import { customDocument } from './mapping';

describe('customDocument', () => {
  it('keeps the chosen columns and says what the options mean in the mapping format', () => {
    expect(
      customDocument({
        columns: { When: 'date', What: 'type', Memo: '', Shares: 'quantity' },
        date_format: '%d.%m.%Y',
        types: { Kauf: 'BUY', Verkauf: 'SELL' },
        signed: true,
        prefix: true,
      }),
    ).toEqual({
      columns: { When: 'date', What: 'type', Shares: 'quantity' },
      date_format: '%d.%m.%Y',
      types: { Kauf: 'BUY', Verkauf: 'SELL' },
      type_match: 'prefix',
      absolute: ['quantity', 'amount', 'fees'],
    });
    expect(customDocument({ columns: { date: 'date' }, date_format: '%Y-%m-%d', types: {}, signed: false, prefix: false })).toEqual({
      columns: { date: 'date' },
      date_format: '%Y-%m-%d',
    });
  });
});
