import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Larder } from '../../server/app/larder.js';
import { httpClient } from './http.js';
import { finishedImport, uploadCsv } from './imports.js';
import type { TestUser } from './users.js';

export const MAVEN_DIR = new URL('../fixtures/data/restaurant_orders_maven/', import.meta.url);
export const MAVEN_ORDERS = new URL('order_details.csv', MAVEN_DIR);

/** A finished transactions import as its owner sees it (GET /imports/:id) and its error report. */
export interface CsvImportOutcome {
  id: string;
  status: string;
  rowsRead: number;
  rowsUpserted: number;
  rowsUnchanged: number;
  rowsDuplicate: number;
  rowsRejected: number;
  /** GET /imports/:id/errors, rows as a spreadsheet numbers them (the header is row 1). */
  rejected: Array<{ row: number; key: string; reason: string }>;
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
 * Imports a transactions CSV (a file or CSV text) as the merchant does: POST /imports?type=transactions,
 * then the import's final state and its error report. The upload must be accepted (202).
 */
export async function importTransactionsCsv(app: Larder & { url: string }, merchant: TestUser, source: URL | string): Promise<CsvImportOutcome> {
  const body = typeof source === 'string' ? source : readFileSync(source);
  const res = await uploadCsv(app, merchant.token, body, 'type=transactions');
  if (res.status !== 202) throw new Error(`POST /imports answered ${res.status}: ${JSON.stringify(res.body)}`);
  const done = await finishedImport(app, merchant.token, res.body.id, 60_000);
  if (done.status !== 'completed') throw new Error(`the import ended ${done.status}: ${done.error}`);
  const errors = await httpClient(app.url).get(`/api/v1/imports/${done.id}/errors`, merchant.token);
  const rows = parse(errors.body as string, { columns: true }) as Array<{ row: string; sku: string; reason: string }>;
  return { ...done, rejected: rows.map((r) => ({ row: Number(r.row), key: r.sku, reason: r.reason })) };
}
