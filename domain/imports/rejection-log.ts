import type { EntityManager } from '@mikro-orm/postgresql';
import type { Rejection } from './imports.schemas.js';

const PAGE = 5_000;

/** One CSV field: quoted when it holds a comma, a quote or a line break; a leading =+-@ is defused for spreadsheets. */
function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The rejected rows of each import, stored as they are found and read back as `row,sku,reason` CSV. */
export class RejectionLog {
  constructor(private readonly em: EntityManager) {}

  /** Stores rejections (in `em`'s transaction when it is one); a row already stored is kept. */
  async record(importId: string, rejections: readonly Rejection[], em: EntityManager = this.em): Promise<void> {
    for (let i = 0; i < rejections.length; i += PAGE) {
      const page = rejections.slice(i, i + PAGE).map((r) => ({ row_no: r.row, sku: r.sku?.slice(0, 200) ?? null, reason: r.reason.slice(0, 1000) }));
      await em.execute(
        `insert into import_rejections (import_id, row_no, sku, reason)
         select ?, x.row_no, x.sku, x.reason from jsonb_to_recordset(?::jsonb) as x(row_no int, sku text, reason text)
         on conflict do nothing`,
        [importId, JSON.stringify(page)],
        'run',
      );
    }
  }

  /** Forgets what a previous reading of the file found (the file is read again from the start). */
  async clear(importId: string): Promise<void> {
    await this.em.execute(`delete from import_rejections where import_id = ?`, [importId], 'run');
  }

  /** `row,sku,reason` lines in row order, a page at a time (never the whole list in memory). */
  async *csv(importId: string): AsyncGenerator<string> {
    yield 'row,sku,reason\n';
    let after = 0;
    for (;;) {
      const rows = await this.em.execute<Array<{ row: number; sku: string | null; reason: string }>>(
        `select row_no as row, sku, reason from import_rejections where import_id = ? and row_no > ? order by row_no limit ${PAGE}`,
        [importId, after],
      );
      if (rows.length === 0) return;
      yield rows.map((r) => `${r.row},${csvField(r.sku)},${csvField(r.reason)}\n`).join('');
      after = rows[rows.length - 1].row;
    }
  }
}
