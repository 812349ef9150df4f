import { Transform, type TransformCallback } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import { parse } from 'csv-parse/sync';
import { AppError } from '../shared/app-error.js';

/** Enough for file-type's signatures; the header line must end within HEADER_LIMIT. */
const SNIFF_BYTES = 4_100;
const HEADER_LIMIT = 64 * 1024;

/**
 * Why the first bytes are not CSV text: UTF-16, or bytes that are not UTF-8 text (a NUL, an invalid
 * sequence), named by their format when file-type knows it (an Excel workbook, a zip, an image…).
 * Undefined when they are UTF-8 text. Magic bytes are only consulted for what is not text, so a CSV
 * whose first cell happens to spell a signature ("ID3…") is never refused.
 */
export async function notCsvText(head: Buffer): Promise<string | undefined> {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return 'the file is UTF-16 text; save it as UTF-8 CSV';
  if (isUtf8Text(head)) return undefined;
  const type = await fileTypeFromBuffer(head);
  return type ? `the file is ${type.ext} (${type.mime}), not CSV text` : 'the file holds binary data, not UTF-8 CSV text';
}

function isUtf8Text(head: Buffer): boolean {
  if (head.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** The header cells of a CSV whose first bytes are `head` (null when no header line ends within them). */
export function headerOf(head: Buffer, ended: boolean): string[] | null {
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  const end = text.search(/\r?\n/);
  if (end < 0 && !ended) return null;
  const line = end < 0 ? text : text.slice(0, end);
  if (line.trim() === '') throw AppError.validation([{ path: 'header', message: 'The file has no header line (the first line names the columns)' }]);
  try {
    const [cells] = parse(line, { relax_quotes: true }) as string[][];
    return cells;
  } catch (err) {
    throw AppError.validation([{ path: 'header', message: `The header line is not valid CSV: ${(err as Error).message}` }]);
  }
}

export interface InspectorOptions {
  limit: number;
  /** Runs once on the first bytes (and the header in them) before any byte goes on; throws to refuse the upload. */
  check(head: Buffer, header: string[]): Promise<void> | void;
  onBytes?(total: number): void;
}

/**
 * Passes an upload through while counting it: over `limit` bytes it fails with PAYLOAD_TOO_LARGE
 * (mid-stream); nothing goes on until the first bytes were sniffed (415 UNSUPPORTED_MEDIA_TYPE for
 * anything but UTF-8 text) and the header line checked, so a refused upload leaves nothing behind.
 */
export class UploadInspector extends Transform {
  bytes = 0;
  private head: Buffer[] = [];
  private checked = false;

  constructor(private readonly options: InspectorOptions) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    this.options.onBytes?.(this.bytes);
    if (this.bytes > this.options.limit) {
      done(new AppError('PAYLOAD_TOO_LARGE', `The file exceeds the import size limit of ${this.options.limit} bytes`, { limit: this.options.limit }));
      return;
    }
    if (this.checked) {
      done(null, chunk);
      return;
    }
    this.head.push(chunk);
    const head = Buffer.concat(this.head);
    this.head = [head];
    if (head.length < SNIFF_BYTES) {
      done();
      return;
    }
    this.inspect(head, false).then(() => done(), done);
  }

  override _flush(done: TransformCallback): void {
    if (this.checked) {
      done();
      return;
    }
    this.inspect(Buffer.concat(this.head), true).then(() => done(), done);
  }

  private async inspect(head: Buffer, ended: boolean): Promise<void> {
    if (head.length === 0) throw AppError.validation([{ path: 'header', message: 'The file is empty (the first line must name the columns)' }]);
    const refused = await notCsvText(head.subarray(0, HEADER_LIMIT));
    if (refused) throw new AppError('UNSUPPORTED_MEDIA_TYPE', `Only CSV text can be imported: ${refused}`);
    const header = headerOf(head, ended);
    if (!header) {
      if (head.length >= HEADER_LIMIT) throw AppError.validation([{ path: 'header', message: 'No header line ends within the first 64 KB' }]);
      return; // wait for the end of the header line
    }
    await this.options.check(head, header);
    this.checked = true;
    this.head = [];
    this.push(head);
  }
}
