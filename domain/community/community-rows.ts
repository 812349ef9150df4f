/** A posts row as the community's SQL reads it. */
export interface PostRow {
  id: string;
  board_slug: string;
  author_id: string;
  title: string;
  body: string;
  diary_entry_id: string | null;
  status: 'visible' | 'hidden';
  hidden_by: 'reports' | 'admin' | null;
  comment_count: number;
  slow_mode_seconds: number;
  created_at: Date;
}

/** A comments row as the community's SQL reads it. */
export interface CommentRow {
  id: string;
  seq: string;
  post_id: string;
  author_id: string;
  body: string;
  status: 'visible' | 'hidden' | 'deleted';
  hidden_by: 'reports' | 'admin' | null;
  created_at: Date;
}

export const POST_COLUMNS = 'id, board_slug, author_id, title, body, diary_entry_id, status, hidden_by, comment_count, slow_mode_seconds, created_at';
export const COMMENT_COLUMNS = 'id, seq, post_id, author_id, body, status, hidden_by, created_at';
