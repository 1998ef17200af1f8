// The downloads' first lines as the brokers write them (docs/formats.md, "Brokers' positions
// downloads"; the shapes of examples/portfolios/fidelity_positions.csv and schwab_positions.csv).
import { describe, expect, it } from 'vitest';
import { detectBrokerDownload, isStatement } from './brokerDownload';
import { parseCsv } from './csv';

const rows = (text: string) => parseCsv(text).filter((r) => r.some((c) => c.trim() !== ''));

describe('detectBrokerDownload', () => {
  it('tells a Fidelity download and lists its accounts up to the disclaimers', () => {
    const text =
      'Account Number,Account Name,Symbol,Description,Quantity,Last Price,Current Value,Cost Basis Total\n' +
      'Z00000000,INDIVIDUAL,SPAXX**,HELD IN MONEY MARKET,,,"$1,250.37",\n' +
      'Z00000000,INDIVIDUAL,AAPL,APPLE INC,40,$169.01,"$6,760.40","$4,013.24"\n' +
      'Z00000001,ROTH IRA,JNJ,JOHNSON &JOHNSON COM,40,$140.59,"$5,623.60","$4,516.15"\n' +
      '\n"The data and information in this spreadsheet is provided to you solely for your use"\n' +
      '"Date downloaded Dec-06-2017 4:05 p.m ET"\n';
    expect(detectBrokerDownload(rows(text))).toEqual({ format: 'fidelity', accounts: ['Z00000000', 'Z00000001'] });
  });

  it('tells a Schwab download by its title, of one account or of all', () => {
    const one =
      '"Positions for account Individual ...234 as of 12:52 PM ET, 2023/04/23","",""\n"","",""\n' +
      '"Symbol","Description","Quantity","Price","Market Value","Security Type"\n' +
      '"SCHB","SCHWAB US BROAD MARKET ETF","500","$48.08","$24,040.00","ETFs & Closed End Funds"\n';
    expect(detectBrokerDownload(rows(one))).toEqual({ format: 'schwab', accounts: ['Individual ...234'] });
    const all =
      '"Positions for All-Accounts as of 09:59 PM ET, 2021/09/26"\n"Individual ...234"\n' +
      '"Symbol","Description","Qty (Quantity)","Price","Mkt Val (Market Value)","Asset Type"\n' +
      '"SCHB","SCHWAB US BROAD MARKET ETF","500","$48.08","$24,040.00","ETFs & Closed End Funds"\n' +
      '"Roth IRA ...567"\n"Symbol","Description","Qty (Quantity)","Price","Mkt Val (Market Value)","Asset Type"\n';
    expect(detectBrokerDownload(rows(all))).toEqual({ format: 'schwab', accounts: ['Individual ...234', 'Roth IRA ...567'] });
    // Without its title, by the header's names.
    expect(detectBrokerDownload(rows('"Symbol","Description","Qty (Quantity)","Mkt Val (Market Value)","Asset Type"\n'))?.format).toBe('schwab');
  });

  it('tells a Vanguard download by its holdings section, up to its transactions', () => {
    const text =
      'Account Number,Investment Name,Symbol,Shares,Share Price,Total Value,\n' +
      '12345678,VANGUARD FEDERAL MONEY MARKET FUND,VMFXX,13350.12,1.0,13350.12,\n' +
      '12345678,VANGUARD TOTAL BOND MARKET ETF,BND,20.00000,72.50,1450.00,\n\n\n' +
      'Account Number,Trade Date,Settlement Date,Transaction Type,Transaction Description,Investment Name,Symbol,Shares\n' +
      '87654321,09/03/2024,09/03/2024,Withdrawal,Withdrawal,VANGUARD FEDERAL MONEY MARKET FUND,VMFXX,0.00000\n';
    expect(detectBrokerDownload(rows(text))).toEqual({ format: 'vanguard', accounts: ['12345678'] });
    // The transactions section alone is a transactions file, not a positions download.
    expect(detectBrokerDownload(rows(text.slice(text.indexOf('Account Number,Trade Date'))))).toBeNull();
  });

  it('tells a statement from its first bytes, as the server does', () => {
    expect(isStatement('OFXHEADER:100\nDATA:OFXSGML\n')).toBe(true);
    expect(isStatement('<?xml version="1.0"?>\n<?OFX OFXHEADER="200"?>\n<OFX>')).toBe(true);
    expect(isStatement('<FlexQueryResponse queryName="q" type="AF">')).toBe(true);
    expect(isStatement('symbol,quantity\nOFX,10\n')).toBe(false);
  });

  it('leaves other files to the column mapping', () => {
    expect(detectBrokerDownload(rows('symbol,quantity\nAAPL,10\n'))).toBeNull();
    expect(detectBrokerDownload(rows('Symbol,Description,Quantity\nAAPL,APPLE,10\n'))).toBeNull();
    expect(detectBrokerDownload([])).toBeNull();
  });
});
