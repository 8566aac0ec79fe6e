import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';

import { SpreadsheetError, type SpreadsheetErrorCode } from './errors.js';
import { configureSpreadsheetParsing, readWorkbook } from './reader.js';
import { buildZip, editZip, unzip, type RawEntry } from './testing/zip.js';
import { writeWorkbook } from './xlsx-writer.js';

const SHEET = 'xl/worksheets/sheet1.xml';
const STRINGS = 'xl/sharedStrings.xml';

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

/** Counts event-loop turns while `p` runs: proof that the main thread stayed free. */
async function ticking<T>(p: Promise<T>): Promise<{ ticks: number; outcome: PromiseSettledResult<T> }> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  const [outcome] = await Promise.allSettled([p]);
  clearInterval(timer);
  return { ticks, outcome: outcome! };
}

const workbook = () =>
  writeWorkbook({
    sheets: [
      { name: 'Answers', columns: [{ header: 'Question' }, { header: 'Answer', allowedValues: ['Yes', 'No'] }], rows: [['Q1', 'Yes']] },
      { name: 'meta', visibility: 'veryHidden', columns: [{ header: 'key' }, { header: 'value' }], rows: [['id', '42']] },
    ],
  });

/** A sheet part with `cells` values in one column (what a "big but honest" workbook holds). */
function tallSheet(cells: number): string {
  const rows: string[] = [];
  for (let r = 1; r <= cells; r++) rows.push(`<row r="${r}"><c r="A${r}"><v>${r}</v></c></row>`);
  return `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows.join('')}</sheetData></worksheet>`;
}

describe('hostile workbooks', () => {
  afterEach(() => configureSpreadsheetParsing({ maxConcurrent: 2, maxQueued: 16 }));

  it('reads a workbook with whole-sheet validation, formatting, merges and names within seconds, the event loop free', async () => {
    const whole = 'A1:XFD1048576';
    const hostile = await editZip(await workbook(), {
      [SHEET]: (xml) =>
        xml
          .replace(/<dimension ref="[^"]*"\/>/, `<dimension ref="${whole}"/>`)
          .replace(/<cols>.*<\/cols>/, '<cols><col min="1" max="16384" width="9"/></cols>')
          .replace(
            '</sheetData>',
            `<row r="1048576"><c r="XFD1048576" s="1"/></row></sheetData><mergeCells count="1"><mergeCell ref="C1:XFD1048576"/></mergeCells>` +
              `<conditionalFormatting sqref="${whole}"><cfRule type="expression" priority="1"><formula>TRUE</formula></cfRule></conditionalFormatting>`,
          )
          .replace(
            /<dataValidations[^>]*>/,
            `$&<dataValidation type="list" allowBlank="1" sqref="${whole}"><formula1>"a,b"</formula1></dataValidation>`,
          )
          .replace(
            '</worksheet>',
            '<hyperlinks><hyperlink ref="A1:XFD1048576" location="A1"/></hyperlinks><extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}">' +
              `<x14:dataValidations xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main" count="1"><x14:dataValidation type="list"><xm:sqref xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">${whole}</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst></worksheet>`,
          ),
      'xl/workbook.xml': (xml) =>
        xml.replace(
          '</sheets>',
          `</sheets><definedNames><definedName name="everything">Answers!$A$1:$XFD$1048576</definedName></definedNames>`,
        ),
    });

    const { ticks, outcome } = await ticking(readWorkbook(hostile, { timeoutMs: 10_000 }));
    expect(outcome.status).toBe('fulfilled');
    const wb = (outcome as PromiseFulfilledResult<Awaited<ReturnType<typeof readWorkbook>>>).value;
    expect(wb.sheets[0]!.rows).toEqual([
      ['Question', 'Answer'],
      ['Q1', 'Yes'],
    ]);
    expect(wb.sheets[1]).toEqual({
      name: 'meta',
      visibility: 'veryHidden',
      rows: [
        ['key', 'value'],
        ['id', '42'],
      ],
    });
    expect(ticks).toBeGreaterThan(0);
  });

  it('refuses shared-strings bombs: too many entries, one giant string, too much text', async () => {
    const many = await editZip(await workbook(), {
      [STRINGS]: (xml) =>
        xml.replace('</sst>', Array.from({ length: 300_000 }, (_, i) => `<si><t>${i.toString(36)}</t></si>`).join('') + '</sst>'),
    });
    const tooMany = await failure(readWorkbook(many, { maxSharedStrings: 100_000 }), 'spreadsheet.too_large');
    expect(tooMany.status).toBe(413);
    expect(tooMany.details).toMatchObject({ limit: 'maxSharedStrings', max: 100_000 });

    const giant = await editZip(await workbook(), {
      [STRINGS]: (xml) => xml.replace('</sst>', `<si><t>${'y'.repeat(40_000)}</t></si></sst>`),
    });
    expect((await failure(readWorkbook(giant), 'spreadsheet.too_large')).details).toMatchObject({ limit: 'maxCellChars' });

    const noise = () => `<si><t>${randomBytes(15_000).toString('hex')}</t></si>`; // 30,000 characters that do not compress away
    const text = await editZip(await workbook(), {
      [STRINGS]: (xml) => xml.replace('</sst>', Array.from({ length: 40 }, noise).join('') + '</sst>'),
    });
    expect((await failure(readWorkbook(text, { maxTextChars: 1_000_000 }), 'spreadsheet.too_large')).details).toMatchObject({
      limit: 'maxTextChars',
    });
  });

  it('refuses a zip bomb by its expansion ratio, and an entry whose declared size lies', async () => {
    const zeros = Buffer.alloc(60 * 1024 * 1024);
    const bomb = await editZip(await workbook(), {}, [{ name: 'xl/media/bomb.bin', data: zeros }]);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const err = await failure(readWorkbook(bomb), 'spreadsheet.too_large');
    expect(err.details).toMatchObject({ limit: 'maxCompressionRatio', max: 200 });

    // The same bytes as the worksheet itself, claiming to be tiny: inflation stops at the lie.
    const sheet = Buffer.from(
      tallSheet(10).replace(
        '</sheetData>',
        `<row r="20"><c r="A20" t="inlineStr"><is><t>${'w'.repeat(2_000_000)}</t></is></c></row></sheetData>`,
      ),
    );
    const parts = await unzip(await workbook());
    const entries: RawEntry[] = [...parts].map(([name, data]) =>
      name === SHEET ? { name, data: sheet, declaredSize: 1000 } : { name, data },
    );
    await failure(readWorkbook(buildZip(entries)), 'spreadsheet.malformed');
  });

  it('refuses archives with too many entries, oversized parts, encrypted entries and duplicate names', async () => {
    const base = await workbook();
    const padding = Array.from({ length: 50 }, (_, i): RawEntry => ({ name: `xl/pad/${i}.xml`, data: '<x/>' }));
    expect(
      (await failure(readWorkbook(await editZip(base, {}, padding), { maxEntries: 20 }), 'spreadsheet.too_large')).details,
    ).toMatchObject({
      limit: 'maxEntries',
    });

    const big = await editZip(base, { [SHEET]: () => tallSheet(20_000) });
    expect((await failure(readWorkbook(big, { maxEntryBytes: 100_000 }), 'spreadsheet.too_large')).details).toMatchObject({
      limit: 'maxEntryBytes',
    });
    expect((await failure(readWorkbook(big, { maxTotalBytes: 200_000 }), 'spreadsheet.too_large')).details).toMatchObject({
      limit: 'maxTotalBytes',
    });

    await failure(readWorkbook(await editZip(base, {}, [{ name: 'secret.xml', data: '<x/>', flags: 1 }])), 'spreadsheet.encrypted');
    await failure(readWorkbook(await editZip(base, {}, [{ name: 'XL/Workbook.xml', data: '<x/>' }])), 'spreadsheet.malformed');
  });

  it('refuses values beyond the row, column and cell caps', async () => {
    const at = async (ref: string) =>
      editZip(await workbook(), {
        [SHEET]: (xml) =>
          xml.replace(
            '</sheetData>',
            `<row r="${ref.replace(/\D/g, '')}"><c r="${ref}" t="inlineStr"><is><t>far</t></is></c></row></sheetData>`,
          ),
      });
    expect((await failure(readWorkbook(await at('A200001')), 'spreadsheet.too_large')).details).toMatchObject({ limit: 'maxRows' });
    expect((await failure(readWorkbook(await at('XFD3')), 'spreadsheet.too_large')).details).toMatchObject({ limit: 'maxColumns' });
    expect((await failure(readWorkbook(await at('ZZ5000')), 'spreadsheet.too_large')).details).toMatchObject({ limit: 'maxCells' });
    // An empty styled cell far away costs nothing: only values make the grid.
    const styled = await editZip(await workbook(), {
      [SHEET]: (xml) => xml.replace('</sheetData>', '<row r="1048576"><c r="XFD1048576" s="1"/></row></sheetData>'),
    });
    expect((await readWorkbook(styled)).sheets[0]!.rows).toHaveLength(2);
  });

  it('refuses DOCTYPE and entity declarations (billion laughs, external entities)', async () => {
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
      '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>';
    const inStrings = await editZip(await workbook(), {
      [STRINGS]: (xml) => xml.replace(/^<\?xml[^>]*\?>\s*/, laughs).replace('<t xml:space="preserve">Q1', '<t>&lol3;'),
    });
    expect((await failure(readWorkbook(inStrings), 'spreadsheet.unsafe')).message).toContain('DOCTYPE');

    const xxe = '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>';
    const inSheet = await editZip(await workbook(), {
      [SHEET]: (xml) =>
        xml
          .replace(/^<\?xml[^>]*\?>\s*/, xxe)
          .replace('<sheetData>', '<sheetData><row r="9"><c r="A9" t="inlineStr"><is><t>&xxe;</t></is></c></row>'),
    });
    await failure(readWorkbook(inSheet), 'spreadsheet.unsafe');

    // An entity that was never declared is simply bad XML.
    const undeclared = await editZip(await workbook(), {
      [SHEET]: (xml) => xml.replace('<sheetData>', '<sheetData><row r="9"><c r="A9" t="inlineStr"><is><t>&nope;</t></is></c></row>'),
    });
    await failure(readWorkbook(undeclared), 'spreadsheet.malformed');
  });

  it('refuses what is not an xlsx workbook: a renamed PDF, a Word document, a bare zip, a legacy or encrypted Office file, a truncated zip', async () => {
    await failure(readWorkbook(Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\n')), 'spreadsheet.not_xlsx');
    await failure(readWorkbook(Buffer.alloc(0)), 'spreadsheet.not_xlsx');
    const docx = buildZip([
      {
        name: '_rels/.rels',
        data: '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
      },
      { name: 'word/document.xml', data: '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>' },
    ]);
    await failure(readWorkbook(docx), 'spreadsheet.not_xlsx');
    await failure(readWorkbook(buildZip([{ name: 'hello.txt', data: 'hi' }])), 'spreadsheet.not_xlsx');

    const cfb = Buffer.alloc(4096);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(cfb);
    await failure(readWorkbook(cfb), 'spreadsheet.not_xlsx');
    Buffer.from('EncryptedPackage', 'utf16le').copy(cfb, 1024);
    await failure(readWorkbook(cfb), 'spreadsheet.encrypted');

    const whole = await workbook();
    await failure(readWorkbook(whole.subarray(0, whole.length - 30)), 'spreadsheet.malformed');
  });

  it('refuses an upload over maxFileBytes while it streams', async () => {
    let pulled = 0;
    const endless = new Readable({
      read() {
        pulled++;
        this.push(Buffer.alloc(64 * 1024));
      },
    });
    const err = await failure(readWorkbook(endless, { maxFileBytes: 1024 * 1024 }), 'spreadsheet.too_large');
    expect(err.details).toMatchObject({ limit: 'maxFileBytes' });
    expect(endless.destroyed).toBe(true);
    expect(pulled).toBeLessThan(100);
  });

  it('kills a parse that exceeds the time limit and reports a timeout, while the event loop keeps ticking', async () => {
    const heavy = await editZip(await workbook(), { [SHEET]: () => tallSheet(400_000) });
    const { ticks, outcome } = await ticking(readWorkbook(heavy, { timeoutMs: 300, maxRows: 1_000_000, maxCells: 1_000_000 }));
    expect(outcome.status).toBe('rejected');
    const err = (outcome as PromiseRejectedResult).reason as SpreadsheetError;
    expect(err.code).toBe('spreadsheet.timeout');
    expect(err.details).toMatchObject({ limit: 'timeoutMs', max: 300 });
    expect(ticks).toBeGreaterThan(0);
    // The slot was given back: the next read runs.
    expect((await readWorkbook(await workbook())).sheets[0]!.rows[1]).toEqual(['Q1', 'Yes']);
  });

  it('stops a parse that outgrows its heap', async () => {
    const heavy = await editZip(await workbook(), { [SHEET]: () => tallSheet(600_000) });
    const err = await failure(
      readWorkbook(heavy, { maxMemoryMb: 16, maxRows: 1_000_000, maxCells: 1_000_000, timeoutMs: 60_000 }),
      'spreadsheet.too_large',
    );
    expect(err.details).toMatchObject({ limit: 'maxMemoryMb', max: 16 });
  });

  it('answers spreadsheet.busy when every parse slot and queue place is taken', async () => {
    configureSpreadsheetParsing({ maxConcurrent: 1, maxQueued: 0 });
    const heavy = await editZip(await workbook(), { [SHEET]: () => tallSheet(100_000) });
    const first = readWorkbook(heavy, { timeoutMs: 30_000, maxCells: 1_000_000 });
    // Let the first read take its slot (its bytes are collected asynchronously), then ask for a second.
    await new Promise((r) => setImmediate(r));
    const busy = await failure(readWorkbook(await workbook()), 'spreadsheet.busy');
    expect(busy.status).toBe(503);
    expect(busy.headers).toEqual({ 'Retry-After': '5' });
    await first;
  });
});
