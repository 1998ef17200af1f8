// The Trades tab's ticket editor: its lines as the CSV ticket the server reads (docs/clo.md "Trades
// tested before they are made").
import { describe, expect, it } from 'vitest';
import { csvCell, emptyLine, loanChoices, loanKey, loanText, spreadCell, ticketColumns, ticketCsv, type TicketLine } from './ticket';

const line = (cells: Partial<TicketLine>): TicketLine => ({ ...emptyLine(), ...cells });
const HEADER = 'action,asset_id,obligor,par,price,industry,spread,maturity,moodys_rating,sp_rating,lien,country,cov_lite';

describe('ticketCsv', () => {
  it('writes a sale of a whole loan by asset id and a buy with its tape columns', () => {
    const rows = [
      line({ action: 'sell', loan: 'a:LX3', price: '80' }),
      line({ action: 'buy', asset_id: 'LX6', obligor: 'Zeta', par: '16000000', price: '100', industry: 'Retail', spread: '375', maturity: '2030-06-30', moodys_rating: 'B2', lien: 'first', country: 'us', cov_lite: 'false' }),
    ];
    expect(ticketCsv(rows, 'bp')).toBe(
      `${HEADER}\n` +
        'sell,LX3,,,80,,,,,,,,\n' +
        'buy,LX6,Zeta,16000000,100,Retail,0.0375,2030-06-30,B2,,first,US,false\n',
    );
  });

  it('names a loan without an asset id by its obligor, and leaves a buy’s columns off other lines', () => {
    const rows = [line({ action: 'downsize', loan: 'o:Alpha', par: ' 1000000 ', price: '99.5', obligor: 'typed before the action changed', spread: '400' })];
    expect(ticketCsv(rows, 'bp').split('\n')[1]).toBe('downsize,,Alpha,1000000,99.5,,,,,,,,');
  });

  it('reads spreads in percent or basis points as a decimal, without binary noise', () => {
    expect(spreadCell('3.75', 'percent')).toBe('0.0375');
    expect(spreadCell('4.1', 'percent')).toBe('0.041');
    expect(spreadCell('410', 'bp')).toBe('0.041');
    expect(spreadCell('', 'bp')).toBe('');
    expect(spreadCell('wide', 'bp')).toBe('wide'); // the server names the cell
  });

  it('sends a cell that is not a number as typed, so the server names it at its line and column', () => {
    const csv = ticketCsv([line({ action: 'buy', obligor: 'Zeta', par: 'lots', price: '100', maturity: '2030-06-30', moodys_rating: 'B2' })], 'bp');
    expect(csv.split('\n')[1]).toBe('buy,,Zeta,lots,100,,,2030-06-30,B2,,,,');
  });

  it('quotes names with commas or quotes, upper-cases S&P ratings and countries, and skips empty lines', () => {
    const rows = [line({}), line({ action: 'buy', obligor: 'Acme, "Inc"', par: '1', price: '99', sp_rating: 'b+', country: 'gb', cov_lite: 'true' }), line({})];
    const out = ticketCsv(rows, 'bp').split('\n');
    expect(out).toHaveLength(3); // header, one line, the final newline
    expect(out[1]).toBe('buy,,"Acme, ""Inc""",1,99,,,,,B+,,GB,true');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a\nb')).toBe('"a\nb"');
  });

  it('is empty for an empty ticket', () => {
    expect(ticketCsv([line({})], 'bp')).toBe('');
  });
});

describe('loan choices', () => {
  const pool = [{ asset_id: 'LX1', obligor: 'Alpha' }, { asset_id: '', obligor: 'Beta' }];
  it('offers the pool’s loans, then those the ticket buys, by asset id else obligor', () => {
    const c = loanChoices(pool, [line({ action: 'buy', obligor: 'Zeta' }), line({ action: 'buy', asset_id: 'LX6', obligor: 'Eta' }), line({ action: 'sell', loan: 'a:LX1' })]);
    expect(c.keys).toEqual(['a:LX1', 'o:Beta', 'o:Zeta', 'a:LX6']);
    expect(loanText('a:LX1', c.refs)).toBe('LX1 · Alpha');
    expect(loanText('o:Beta', c.refs)).toBe('Beta');
    expect(loanText('a:LX6', c.refs)).toBe('LX6 · Eta');
    expect(loanKey({ asset_id: '', obligor: 'Beta' })).toBe('o:Beta');
  });
});

describe('ticketColumns', () => {
  const cols = ticketColumns();
  const col = (f: string) => cols.find((c) => c.field === f)!;
  it('shows a buy’s loan columns on a buy only, and the pool’s loan on the other actions', () => {
    expect(col('loan').applies!(line({ action: 'sell' }))).toBe(true);
    expect(col('loan').applies!(line({ action: 'buy' }))).toBe(false);
    expect(col('maturity').applies!(line({ action: 'buy' }))).toBe(true);
    expect(col('maturity').applies!(line({ action: 'upsize' }))).toBe(false);
  });
  it('asks for par except on a sale (a sale without par sells the whole loan) and for a price always', () => {
    expect(col('par').check!('', line({ action: 'sell' }))).toBeNull();
    expect(col('par').check!('', line({ action: 'upsize' }))).not.toBeNull();
    expect(col('price').check!('', line({ action: 'sell' }))).not.toBeNull();
    expect(col('price').check!('99.5', line({ action: 'sell' }))).toBeNull();
  });
});
