import type { DiaryItemView, Meal, NutritionView } from './diary.schemas.js';

/** A diary_entries row as the diary's SQL reads it. */
export interface EntryRow {
  id: string;
  user_id: string;
  client_id: string;
  date: string;
  meal: Meal;
  items: DiaryItemView[];
  totals: NutritionView;
  note: string;
  photo_key: string | null;
  photo_type: string | null;
  thumbnail_key: string | null;
  version: number;
  change_seq: string;
  deleted_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** Every column of an entry; `date` as text, so no time zone ever shifts a day. */
export const ENTRY_COLUMNS = `id, user_id, client_id, to_char(date, 'YYYY-MM-DD') as date, meal, items, totals, note, photo_key, photo_type,
  thumbnail_key, version, change_seq, deleted_at, created_at, updated_at`;

/**
 * Bumps the user's change number and answers it: the first statement of every diary write, so one
 * user's writes are serialised and their numbers commit in order (offline sync relies on it).
 */
export const BUMP_HEAD = `insert into diary_sync_heads (user_id, seq) values (?, 1)
  on conflict (user_id) do update set seq = diary_sync_heads.seq + 1 returning seq`;
