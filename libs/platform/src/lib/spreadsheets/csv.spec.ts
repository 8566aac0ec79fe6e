import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { isFormulaLike, neutralizeCsvCell, restoreCsvCell } from './cells.js';
import { writeCsv } from './csv-writer.js';
import { SpreadsheetError, type SpreadsheetErrorCode } from './errors.js';
import { readCsv } from './reader.js';

async function failure(p: Promise<unknown>, code: SpreadsheetErrorCode): Promise<SpreadsheetError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(SpreadsheetError);
    expect((err as SpreadsheetError).code, (err as Error).message).toBe(code);
    return err as SpreadsheetError;
  }
  throw new Error(`expected ${code}`);
}

const TRICKY = [
  "=cmd|' /C calc'!A0",
  '+1',
  '-1',
  '@SUM(A1)',
  '\tleading tab',
  '\rleading CR',
  "'=already quoted",
  "''+twice",
  "'tis",
  'ünïcödé 日本語 😀',
  '  spaces around  ',
  'comma, "quotes" and\nnewline\r\nCRLF',
  'semi;colon',
];

describe('CSV formula neutralisation', () => {
  it('round-trips every string and never leaves a formula-like field', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme-composite' }),
        fc.constantFrom('', '=', '+', '-', '@', '\t', '\r', "'", "''="),
        (s, prefix) => {
          const value = prefix + s;
          const written = neutralizeCsvCell(value);
          expect(isFormulaLike(written)).toBe(false);
          expect(restoreCsvCell(written)).toBe(value);
        },
      ),
    );
  });

  it('leaves apostrophes alone unless they guard formula-like text', () => {
    expect(neutralizeCsvCell("'tis")).toBe("'tis");
    expect(restoreCsvCell("'tis")).toBe("'tis");
    expect(neutralizeCsvCell('=1+1')).toBe("'=1+1");
    expect(neutralizeCsvCell("'=1+1")).toBe("''=1+1");
  });
});

describe('CSV round trip', () => {
  it('reads back exactly what it wrote', async () => {
    const long = 'long '.repeat(6_000);
    const rows = [
      ['text', 'number', 'date'],
      ...TRICKY.map((t, i) => [t, i - 3, new Date(Date.UTC(2020, 0, 1 + i))]),
      [long, 0.1, null],
      ['', '', ''],
      ['after an empty row', 1e21, new Date(Date.UTC(2021, 5, 1, 12, 30))],
    ];
    const bytes = writeCsv(rows);
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));

    // No field of the raw file starts like a formula; numbers (written by us, `-3`) are numbers.
    const raw = parse(bytes.toString('utf8').slice(1), { relax_column_count: true }) as string[][];
    for (const field of raw.flat()) if (isFormulaLike(field)) expect(field).toMatch(/^-\d+$/);

    const csv = await readCsv(bytes);
    expect(csv.delimiter).toBe(',');
    expect(csv.encoding).toBe('utf-8');
    expect(csv.rows).toEqual([
      ['text', 'number', 'date'],
      ...TRICKY.map((t, i) => [t, String(i - 3), new Date(Date.UTC(2020, 0, 1 + i)).toISOString().slice(0, 10)]),
      [long, '0.1', ''],
      ['', '', ''],
      ['after an empty row', '1e+21', '2021-06-01T12:30:00.000Z'],
    ]);
  });

  it('reads semicolon and tab files, UTF-16 and Windows-1252 text', async () => {
    expect((await readCsv(Buffer.from('a;b;"c;d"\r\n1;2;3\r\n'))).rows).toEqual([
      ['a', 'b', 'c;d'],
      ['1', '2', '3'],
    ]);
    const tab = await readCsv(
      writeCsv(
        [
          ['x', 'y'],
          ['=1', '2'],
        ],
        { delimiter: '\t', bom: false },
      ),
    );
    expect(tab).toMatchObject({
      delimiter: '\t',
      rows: [
        ['x', 'y'],
        ['=1', '2'],
      ],
    });
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name,city\r\nZoë,Zürich\r\n', 'utf16le')]);
    expect(await readCsv(utf16)).toMatchObject({
      encoding: 'utf-16le',
      rows: [
        ['name', 'city'],
        ['Zoë', 'Zürich'],
      ],
    });
    const cp1252 = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2c, 0x80, 0x35, 0x0d, 0x0a]); // café,€5
    expect(await readCsv(cp1252)).toMatchObject({ encoding: 'windows-1252', rows: [['café', '€5']] });
    expect((await readCsv(Buffer.from('x,y\n1,2,,\n\n\n'))).rows).toEqual([
      ['x', 'y'],
      ['1', '2'],
    ]);
  });

  it('refuses CSV over the caps and what is not CSV', async () => {
    const many = Buffer.from(Array.from({ length: 1_001 }, (_, i) => `r${i}`).join('\n'));
    expect((await failure(readCsv(many, { maxRows: 1_000 }), 'spreadsheet.too_large')).details).toMatchObject({ limit: 'maxRows' });
    expect((await failure(readCsv(Buffer.from('a,'.repeat(50) + 'z'), { maxColumns: 10 }), 'spreadsheet.too_large')).details).toMatchObject(
      {
        limit: 'maxColumns',
      },
    );
    expect((await failure(readCsv(Buffer.from(`"${'x'.repeat(40_000)}"`)), 'spreadsheet.too_large')).details).toMatchObject({
      limit: 'maxCellChars',
    });
    expect((await failure(readCsv(Buffer.from('a,b\n1,2'), { maxFileBytes: 4 }), 'spreadsheet.too_large')).details).toMatchObject({
      limit: 'maxFileBytes',
    });
    await failure(readCsv(Buffer.from('a,"unterminated\n1,2\n')), 'spreadsheet.not_csv');
    await failure(readCsv(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x01])), 'spreadsheet.not_csv');
  });

  it('refuses values it cannot write', () => {
    expect(() => writeCsv([[Number.NaN]])).toThrow(SpreadsheetError);
    expect(() => writeCsv([[{} as never]])).toThrow(/unsupported value/);
  });
});
