import { createReadStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';
import { parse } from 'csv-parse';
import type { TransactionRecord, UpsertCounts } from '../../domain/analytics/index.js';
import { Outbox } from '../../domain/shared/outbox.js';
import { UnitOfWork } from '../../domain/shared/unit-of-work.js';
import type { Larder } from '../../server/app/larder.js';
import { httpClient } from './http.js';
import type { TestUser } from './users.js';

export const MAVEN_DIR = new URL('../fixtures/data/restaurant_orders_maven/', import.meta.url);
export const MAVEN_ORDERS = new URL('order_details.csv', MAVEN_DIR);

export interface CsvImportOutcome {
  rowsRead: number;
  rejected: Array<{ row: number; key: string; reason: string }>;
  counts: UpsertCounts;
}

/** The Maven menu (menu_items.csv) as the items PUT body: menu_item_id → code, item_name → name, price → cents. */
export function mavenMenuItems(): Array<{ name: string; category: string; code: string; priceCents: number }> {
  const lines = readFileSync(new URL('menu_items.csv', MAVEN_DIR), 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r?\n/)
    .slice(1);
  return lines.map((line) => {
    const [code, name, category, price] = line.split(',');
    return { name, category, code, priceCents: Math.round(Number(price) * 100) };
  });
}

/** Loads the Maven menu as the merchant's items through the API. */
export async function putMavenMenu(app: Larder & { url: string }, merchant: TestUser): Promise<void> {
  const res = await httpClient(app.url).put('/api/v1/analytics/items', { items: mavenMenuItems() }, merchant.token);
  if (res.status !== 200) throw new Error(`PUT /analytics/items answered ${res.status}: ${JSON.stringify(res.body)}`);
}

/**
 * Drives the `transactions` import type the way the generic CSV pipeline does (header check, one
 * validator per import, batches staged and upserted in one unit of work each), from a file or CSV text.
 * Only the pipeline's streaming, progress and error report are left out.
 */
export async function importTransactionsCsv(app: Larder, merchantId: string, source: URL | string, batchSize = 1000): Promise<CsvImportOutcome> {
  const type = app.container.modules.analytics.transactionsImport;
  const em = app.container.orm.em as EntityManager;
  const uow = new UnitOfWork(em, app.container.events, new Outbox(), app.container.clock);
  const input = typeof source === 'string' ? Readable.from([source]) : createReadStream(source);
  const parser = input.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true }));
  const outcome: CsvImportOutcome = { rowsRead: 0, rejected: [], counts: { staged: 0, inserted: 0, updated: 0, unchanged: 0, duplicate: 0 } };
  let validator: Awaited<ReturnType<typeof type.prepare>> | undefined;
  let columns: string[] = [];
  let batch: TransactionRecord[] = [];
  const flush = async () => {
    const records = batch;
    batch = [];
    const counts = await uow.run(async (tx, emit) => {
      await type.stage(tx, records);
      return type.upsert(tx, emit, merchantId);
    });
    for (const key of Object.keys(counts) as Array<keyof UpsertCounts>) outcome.counts[key] += counts[key];
  };
  for await (const cells of parser as AsyncIterable<string[]>) {
    if (!validator) {
      const header = type.readHeader(cells);
      if (!header.ok) throw new Error(header.message);
      columns = header.columns;
      validator = await type.prepare(em.fork(), merchantId, header.shape);
      continue;
    }
    outcome.rowsRead += 1;
    const row = Object.fromEntries(columns.map((c, i) => [c, cells[i]]));
    const checked = validator.validate(row);
    if (checked.ok) batch.push(checked.record);
    else outcome.rejected.push({ row: outcome.rowsRead, key: validator.keyOf(row), reason: checked.reason });
    if (batch.length >= batchSize) await flush();
  }
  if (batch.length) await flush();
  return outcome;
}
