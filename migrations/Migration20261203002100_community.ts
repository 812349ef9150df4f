import { Migration } from '@mikro-orm/migrations';

/** One board per condition and diet the health profile knows (domain/identity/health-profile.ts). */
// biome-ignore format: a table of seeded rows
const BOARDS: Array<[slug: string, name: string, description: string]> = [
  ['low-salt', 'Low salt', 'Eating well on a low-sodium diet: products, recipes, eating out.'],
  ['iodine-restricted', 'Iodine-restricted', 'Low-iodine diets, e.g. before radioactive iodine treatment.'],
  ['low-fibre', 'Low fibre', 'Low-fibre and low-residue diets, e.g. around bowel surgery or examinations.'],
  ['low-starch', 'Low starch', 'Eating with little starch.'],
  ['diabetic', 'Diabetes', 'Sugar and carbohydrates with diabetes.'],
  ['pregnancy', 'Pregnancy', 'What to eat and avoid while pregnant.'],
  ['vegan', 'Vegan', 'Plant-based eating.'],
  ['vegetarian', 'Vegetarian', 'Meat- and fish-free eating.'],
  ['halal', 'Halal', 'Halal food and certification.'],
  ['gluten-free', 'Gluten-free', 'Coeliac disease and gluten-free eating.'],
];

/**
 * Community boards (domain/community): posts, comments, reports. Counts of visible posts and comments
 * are kept on the board and post rows; a comment insert locks its post row, so a post's comments get
 * their `seq` in commit order (a reconnecting watcher asks for what came after the last one it saw).
 */
export class Migration20261203002100_community extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table boards (
        slug text primary key,
        name text not null,
        description text not null,
        position int not null,
        post_count int not null default 0 check (post_count >= 0)
      )`);
    this.addSql(`
      insert into boards (slug, name, description, position) values
      ${BOARDS.map(([slug, name, description], i) => `(${[slug, name, description].map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')}, ${i + 1})`).join(',\n      ')}`);
    this.addSql(`
      create table posts (
        id uuid primary key,
        board_slug text not null references boards (slug),
        author_id uuid not null references users (id) on delete cascade,
        title text not null check (length(title) between 1 and 200),
        body text not null check (length(body) <= 10000),
        diary_entry_id uuid,
        status text not null default 'visible' check (status in ('visible', 'hidden')),
        hidden_by text check (hidden_by in ('reports', 'admin')),
        open_reports int not null default 0,
        comment_count int not null default 0 check (comment_count >= 0),
        slow_mode_seconds int not null default 0 check (slow_mode_seconds between 0 and 3600),
        created_at timestamptz not null
      )`);
    this.addSql(`create index posts_board_listing_idx on posts (board_slug, created_at desc, id desc) where status = 'visible'`);
    this.addSql(`create index posts_entry_idx on posts (diary_entry_id) where diary_entry_id is not null`);
    this.addSql(`
      create table comments (
        id uuid primary key,
        seq bigint generated always as identity unique,
        post_id uuid not null references posts (id) on delete cascade,
        author_id uuid not null references users (id) on delete cascade,
        body text not null check (length(body) <= 2000),
        status text not null default 'visible' check (status in ('visible', 'hidden', 'deleted')),
        hidden_by text check (hidden_by in ('reports', 'admin')),
        open_reports int not null default 0,
        created_at timestamptz not null
      )`);
    this.addSql(`create index comments_post_idx on comments (post_id, seq)`);
    this.addSql(`
      create table moderation_reports (
        target_kind text not null check (target_kind in ('post', 'comment')),
        target_id uuid not null,
        post_id uuid not null references posts (id) on delete cascade,
        reporter_id uuid not null references users (id) on delete cascade,
        reason text not null default '',
        created_at timestamptz not null,
        resolved_at timestamptz,
        primary key (target_kind, target_id, reporter_id)
      )`);
    this.addSql(`create index moderation_reports_open_idx on moderation_reports (target_kind, target_id) where resolved_at is null`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists moderation_reports, comments, posts, boards`);
  }
}
