import type { EntityManager } from '@mikro-orm/postgresql';
import { SyncSuperseded } from './pos-error.js';

/** Where a connection's sync stands: the query being paged (start .. end) and the cursor of its next page. */
export interface SyncPosition {
  version: number;
  /** Every order closed before this is stored. */
  checkpoint: Date;
  /** The end of the query being paged; null between windows. */
  windowEnd: Date | null;
  cursor: string | null;
}

interface Row {
  version: number;
  checkpoint_closed_at: Date;
  window_end_at: Date | null;
  cursor: string | null;
}

/*
 * The connection's checkpoint is moved only by the run that holds its current version: every move bumps
 * the version, so a superseded run (a duplicate job, a run of a connection reconnected meanwhile) fails
 * its next move and stops, while a crashed run simply leaves the last committed position behind.
 */

/** The stored position of a connection's sync. */
export async function readSyncPosition(em: EntityManager, connectionId: string): Promise<SyncPosition | null> {
  const [row] = await em.execute<Row[]>(`select version, checkpoint_closed_at, window_end_at, cursor from analytics_pos_connections where id = ?`, [
    connectionId,
  ]);
  return row ? toPosition(row) : null;
}

/** Opens the window `checkpoint .. end` (nothing paged yet). */
export function openWindow(tx: EntityManager, connectionId: string, from: SyncPosition, end: Date, now: Date): Promise<SyncPosition> {
  return move(tx, connectionId, from, { window_end_at: end, cursor: null }, now);
}

/** After a page: the next page's cursor, or (last page) the window is done and the checkpoint moves to its end. */
export function advancePosition(tx: EntityManager, connectionId: string, from: SyncPosition, cursor: string | null, now: Date): Promise<SyncPosition> {
  if (cursor) return move(tx, connectionId, from, { cursor }, now);
  return move(tx, connectionId, from, { checkpoint_closed_at: from.windowEnd!, window_end_at: null, cursor: null }, now);
}

/** Drops the cursor (the POS refused it): the same window is paged again from its first page. */
export function restartWindow(tx: EntityManager, connectionId: string, from: SyncPosition, now: Date): Promise<SyncPosition> {
  return move(tx, connectionId, from, { cursor: null }, now);
}

async function move(tx: EntityManager, id: string, from: SyncPosition, patch: Partial<Row>, now: Date): Promise<SyncPosition> {
  const columns = Object.keys(patch) as Array<keyof Row>;
  const [row] = await tx.execute<Row[]>(
    `update analytics_pos_connections set ${columns.map((c) => `${c} = ?`).join(', ')}, version = version + 1, updated_at = ?
     where id = ? and version = ?
     returning version, checkpoint_closed_at, window_end_at, cursor`,
    [...columns.map((c) => patch[c]), now, id, from.version],
  );
  if (!row) throw new SyncSuperseded();
  return toPosition(row);
}

function toPosition(row: Row): SyncPosition {
  return {
    version: row.version,
    checkpoint: new Date(row.checkpoint_closed_at),
    windowEnd: row.window_end_at ? new Date(row.window_end_at) : null,
    cursor: row.cursor,
  };
}
