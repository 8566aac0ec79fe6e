import yauzl, { type Entry, type ZipFile } from 'yauzl';

import { SpreadsheetError, tooLarge } from './errors.js';
import type { SpreadsheetLimits } from './limits.js';

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
/** A part is checked against `maxCompressionRatio` once it has expanded this far (small parts compress anyhow). */
const RATIO_FLOOR = 1 << 20;

const startsWith = (bytes: Uint8Array, magic: number[]) => bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);

/**
 * The first look at an upload, before any parser: a zip archive (an OOXML package) goes on; an OLE compound
 * file is a legacy .xls or a password-protected OOXML package (which Office wraps in one, with an
 * `EncryptedPackage` stream); anything else is not a workbook.
 */
export function sniffXlsx(bytes: Uint8Array): void {
  if (startsWith(bytes, ZIP_MAGIC)) return;
  if (startsWith(bytes, CFB_MAGIC)) {
    const marker = Buffer.from('EncryptedPackage', 'utf16le');
    if (Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(marker)) {
      throw new SpreadsheetError(
        'spreadsheet.encrypted',
        'The workbook is password-protected; save it without a password and upload it again',
      );
    }
    throw new SpreadsheetError(
      'spreadsheet.not_xlsx',
      'This is a legacy Excel 97–2003 (.xls) or other Office binary file; save it as .xlsx',
    );
  }
  throw new SpreadsheetError('spreadsheet.not_xlsx', 'The file is not an .xlsx workbook (it is not a zip archive)');
}

/**
 * Opens an XLSX zip archive for reading under the caps, before any XML is parsed: the central directory is
 * checked as a whole (entry count, encryption, duplicate names, the declared expansion of the archive), and each
 * part is inflated on demand as a stream that is destroyed the moment it crosses a byte or ratio cap — whatever
 * the headers claim (yauzl also fails an entry whose actual size differs from its declared one).
 */
export class ZipGuard {
  private inflated = 0;

  private constructor(
    private readonly zip: ZipFile,
    private readonly entries: Map<string, Entry>,
    private readonly limits: SpreadsheetLimits,
  ) {}

  static async open(bytes: Buffer, limits: SpreadsheetLimits): Promise<ZipGuard> {
    sniffXlsx(bytes);
    let zip: ZipFile;
    try {
      zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false });
    } catch (err) {
      throw new SpreadsheetError('spreadsheet.malformed', `The zip archive is damaged: ${(err as Error).message}`);
    }
    if (zip.entryCount > limits.maxEntries) {
      zip.close();
      throw tooLarge(
        'maxEntries',
        limits.maxEntries,
        `The archive has ${zip.entryCount} entries; at most ${limits.maxEntries} are allowed`,
        zip.entryCount,
      );
    }
    const entries = new Map<string, Entry>();
    let declared = 0;
    try {
      for await (const entry of zip.eachEntry()) {
        if (entry.isEncrypted())
          throw new SpreadsheetError('spreadsheet.encrypted', 'The archive holds encrypted entries; save the workbook without a password');
        // OPC part names are case-insensitive: two entries that differ only in case are ambiguous.
        const name = entry.fileName.replace(/^\/+/, '').toLowerCase();
        if (entries.has(name)) throw new SpreadsheetError('spreadsheet.malformed', `The archive holds the entry ${entry.fileName} twice`);
        entries.set(name, entry);
        declared += entry.uncompressedSize;
      }
    } catch (err) {
      zip.close();
      if (err instanceof SpreadsheetError) throw err;
      throw new SpreadsheetError('spreadsheet.malformed', `The zip archive is damaged: ${(err as Error).message}`);
    }
    const ratio = declared / Math.max(bytes.length, 1);
    if (declared > RATIO_FLOOR && ratio > limits.maxCompressionRatio) {
      zip.close();
      throw tooLarge(
        'maxCompressionRatio',
        limits.maxCompressionRatio,
        `The archive claims to expand ${Math.round(ratio)}-fold; at most ${limits.maxCompressionRatio} is allowed`,
        Math.round(ratio),
      );
    }
    return new ZipGuard(zip, entries, limits);
  }

  has(name: string): boolean {
    return this.entries.has(name.toLowerCase());
  }

  /** Inflates one part under the caps; undefined when the archive has no such part. */
  async read(name: string): Promise<Buffer | undefined> {
    const entry = this.entries.get(name.toLowerCase());
    if (!entry) return undefined;
    const { maxEntryBytes, maxTotalBytes, maxCompressionRatio } = this.limits;
    if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
      throw new SpreadsheetError(
        'spreadsheet.malformed',
        `The part ${name} uses an unsupported compression method (${entry.compressionMethod})`,
      );
    }
    if (entry.uncompressedSize > maxEntryBytes) {
      throw tooLarge(
        'maxEntryBytes',
        maxEntryBytes,
        `The part ${name} expands to ${entry.uncompressedSize} bytes; at most ${maxEntryBytes} are allowed`,
        entry.uncompressedSize,
      );
    }
    if (this.inflated + entry.uncompressedSize > maxTotalBytes) {
      throw tooLarge('maxTotalBytes', maxTotalBytes, `The workbook expands to more than ${maxTotalBytes} bytes`);
    }
    let stream;
    try {
      stream = await this.zip.openReadStreamPromise(entry);
    } catch (err) {
      throw new SpreadsheetError('spreadsheet.malformed', `The part ${name} cannot be read: ${(err as Error).message}`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        size += chunk.length;
        this.inflated += chunk.length;
        if (size > maxEntryBytes)
          throw tooLarge('maxEntryBytes', maxEntryBytes, `The part ${name} expands to more than ${maxEntryBytes} bytes`);
        if (this.inflated > maxTotalBytes)
          throw tooLarge('maxTotalBytes', maxTotalBytes, `The workbook expands to more than ${maxTotalBytes} bytes`);
        if (size > RATIO_FLOOR && size / Math.max(entry.compressedSize, 1) > maxCompressionRatio) {
          throw tooLarge(
            'maxCompressionRatio',
            maxCompressionRatio,
            `The part ${name} expands more than ${maxCompressionRatio}-fold (a zip bomb?)`,
          );
        }
        chunks.push(chunk);
      }
    } catch (err) {
      stream.destroy();
      if (err instanceof SpreadsheetError) throw err;
      throw new SpreadsheetError('spreadsheet.malformed', `The part ${name} cannot be read: ${(err as Error).message}`);
    }
    return Buffer.concat(chunks);
  }

  close(): void {
    this.zip.close();
  }
}
