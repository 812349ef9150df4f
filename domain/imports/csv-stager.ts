import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { AppError } from '../shared/app-error.js';
import type { ColumnPlan } from './csv-columns.js';
import type { ImportType, StageSink } from './import-type.js';
import type { Rejection } from './imports.schemas.js';

/** Read so far (the progress ticks report it while the file streams through). */
export interface StagingProgress {
  bytes: number;
  rows: number;
  rejected: number;
}

export interface StagingRun<Row> {
  source: Readable;
  type: ImportType<Row>;
  plan: ColumnPlan;
  sink: StageSink<Row>;
  /** Receives rejections in pages (e.g. to store them as they are found). */
  onRejections(page: Rejection[]): Promise<void>;
  progress: StagingProgress;
  signal?: AbortSignal;
}

const REJECTION_PAGE = 1_000;
/** Longest stretch of parsing without letting timers run (progress ticks, socket pings, other requests). */
const SLICE_MS = 20;
/** A record over this size is an unclosed quote swallowing the file, not a product: the file is refused. */
const MAX_RECORD_BYTES = 1024 * 1024;

/**
 * Streams a CSV through the type's row validator into its staging sink: constant memory whatever the
 * file's size (csv-parse, then COPY with backpressure). Row numbers are the spreadsheet's (header = 1).
 * A row with the wrong number of fields or invalid values is rejected and the file goes on; a file
 * that is not CSV at all (an unclosed quote) fails with the parser's message.
 */
export async function stageCsv<Row>(run: StagingRun<Row>): Promise<void> {
  const { type, plan, sink, progress } = run;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      progress.bytes += chunk.length;
      done(null, chunk);
    },
  });
  const parser = parse({ bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, max_record_size: MAX_RECORD_BYTES });
  const pending: Rejection[] = [];
  const reject = async (rejection: Rejection) => {
    progress.rejected++;
    pending.push(rejection);
    if (pending.length >= REJECTION_PAGE) await run.onRejections(pending.splice(0));
  };
  await pipeline(
    run.source,
    counter,
    parser,
    async (records: AsyncIterable<string[]>) => {
      let rowNo = 0;
      let sliceStart = performance.now();
      for await (const cells of records) {
        if (++rowNo === 1) continue; // the header, checked when the file was received
        // Records already parsed resolve without a macrotask turn: yield now and then, or timers starve.
        if ((rowNo & 255) === 0 && performance.now() - sliceStart > SLICE_MS) {
          await new Promise(setImmediate);
          sliceStart = performance.now();
        }
        run.signal?.throwIfAborted();
        progress.rows++;
        if (cells.length !== plan.columns.length) {
          await reject({ row: rowNo, sku: null, reason: `expected ${plan.columns.length} fields, found ${cells.length}` });
          continue;
        }
        const result = type.parseRow(cells, plan);
        if (result.ok) await sink.write(rowNo, result.row);
        else await reject({ row: rowNo, sku: result.key, reason: result.reason });
      }
    },
    { signal: run.signal },
  ).catch((err: Error & { code?: string }) => {
    // csv-parse's own errors (an unclosed quote, a record over the size limit) are about the file.
    if (err.code?.startsWith('CSV_')) throw AppError.validation([{ path: 'file', message: `The file is not valid CSV: ${err.message}` }]);
    throw err;
  });
  if (pending.length) await run.onRejections(pending);
}
