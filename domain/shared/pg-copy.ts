import type { EntityManager } from '@mikro-orm/postgresql';
import { from as copyFrom } from 'pg-copy-streams';
import { nativePool } from './native-query.js';

/** Lines buffered before one write to the COPY stream (fewer, larger protocol messages). */
const CHUNK_CHARS = 256 * 1024;

/**
 * A `COPY … FROM STDIN` in progress on its own pooled connection (autocommit: the rows appear
 * together when `finish()` resolves, or not at all). Lines are COPY text format, one row each,
 * ending in `\n`; `write` resolves when the stream can take more (backpressure).
 */
export interface CopySink {
  write(line: string): Promise<void>;
  /** Sends the rest and ends the COPY; resolves with the rows PostgreSQL stored. */
  finish(): Promise<number>;
  /** Abandons the COPY (nothing is stored) and releases the connection. */
  abort(reason: Error): Promise<void>;
}

/** Starts `copySql` (a `COPY <table> (…) FROM STDIN`) on a connection of the ORM's pool. */
export async function openCopy(em: EntityManager, copySql: string): Promise<CopySink> {
  const pool = await nativePool(em);
  const client = await pool.connect();
  const stream = client.query(copyFrom(copySql));
  let failure: Error | undefined;
  stream.on('error', (err: Error) => {
    failure ??= err;
  });
  let buffered = '';
  let released = false;
  const release = (err?: Error) => {
    if (released) return;
    released = true;
    client.release(err);
  };
  const flush = async () => {
    if (failure) throw failure;
    const chunk = buffered;
    buffered = '';
    if (chunk && !stream.write(chunk)) await waitForDrain(stream, () => failure);
  };
  return {
    async write(line) {
      buffered += line;
      if (buffered.length >= CHUNK_CHARS) await flush();
    },
    async finish() {
      try {
        await flush();
        await new Promise<void>((resolve, reject) => {
          stream.once('finish', resolve);
          stream.once('error', reject);
          stream.end();
        });
        release();
        return stream.rowCount;
      } catch (err) {
        release(err as Error);
        throw err;
      }
    },
    async abort(reason) {
      if (released) return;
      failure ??= reason;
      stream.destroy(reason);
      // The connection is in the middle of a COPY: it must not go back to the pool.
      release(reason);
    },
  };
}

function waitForDrain(stream: NodeJS.WritableStream, failed: () => Error | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      stream.off('error', onError);
      resolve();
    };
    const onError = (err: Error) => {
      stream.off('drain', onDrain);
      reject(failed() ?? err);
    };
    stream.once('drain', onDrain);
    stream.once('error', onError);
  });
}

/** One value in COPY text format: `\N` for null; backslash, tab, newline and carriage return escaped. */
export function copyText(value: string | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]) : value;
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A text[] value in COPY text format (elements quoted when they need it). */
export function copyTextArray(values: readonly string[] | null | undefined): string {
  if (values === null || values === undefined) return '\\N';
  const elements = values.map((v) => (/^[^\s{}",\\]+$/.test(v) && v.toUpperCase() !== 'NULL' ? v : `"${v.replace(/["\\]/g, '\\$&')}"`));
  return copyText(`{${elements.join(',')}}`);
}
