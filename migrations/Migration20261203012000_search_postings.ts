import { Migration } from '@mikro-orm/migrations';

/**
 * Search postings: word → the products whose name holds it, shortest names first. The GIN over
 * `name_words` cannot stop early: a bitmap of every product holding a common word is built before the
 * first row comes back (about 0.5 µs per product: 5 ms for `peanut`, 14 ms for `fruits` and its
 * expansions on 1M products), and under LIMIT the planner preferred sequential scans (3–25 ms). A btree
 * over (word, name_len, product_id) hands out a word's products in the order search ranks them (a name
 * holding the query word is the more similar the shorter it is), so a search reads its ~200 candidates
 * and stops.
 *
 * Kept in step with the products in the same statement as every write, by the statement-level triggers
 * that already keep `product_words` (COPY, bulk upserts and the ORM alike): inserted products add
 * their words, a renamed product swaps them, a deleted product drops them. Stock and price updates
 * (checkout's hot path) leave names alone and only pay the join that finds no renamed row.
 * Inserted postings go in index order (a batch's entries land on neighbouring index pages: a third
 * less time per batch than in hash order). No primary key: the triggers insert each (word, product) once, and removals find their rows through
 * the same index from the old name's words; a plain index is what the bench data generator drops and
 * rebuilds around a bulk load.
 */
export class Migration20261203012000_search_postings extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table product_search_postings (
        word text collate "C" not null,
        name_len smallint not null,
        product_id uuid not null
      )`);
    this.addSql(`
      insert into product_search_postings (word, name_len, product_id)
        select distinct w, char_length(p.search_name), p.id from products p, unnest(p.name_words) w`);
    this.addSql(`create index product_search_postings_word on product_search_postings (word, name_len, product_id)`);
    this.addSql(`
      create or replace function product_words_collect() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' then
          -- Stock and price updates (checkout's hot path) leave names alone: skip them cheaply.
          if not exists (select from added n join removed o on o.id = n.id where o.name <> n.name) then
            return null;
          end if;
          insert into product_words (word)
            select distinct unnest(n.name_words) from added n join removed o on o.id = n.id where o.name <> n.name
            on conflict do nothing;
          delete from product_search_postings s using added n join removed o on o.id = n.id, unnest(o.name_words) w
            where o.name <> n.name and s.word = w and s.name_len = char_length(o.search_name) and s.product_id = o.id;
          insert into product_search_postings (word, name_len, product_id)
            select distinct w, char_length(n.search_name), n.id from added n join removed o on o.id = n.id, unnest(n.name_words) w
            where o.name <> n.name order by 1, 2, 3;
        elsif tg_op = 'INSERT' then
          insert into product_words (word) select distinct unnest(n.name_words) from added n on conflict do nothing;
          insert into product_search_postings (word, name_len, product_id)
            select distinct w, char_length(n.search_name), n.id from added n, unnest(n.name_words) w order by 1, 2, 3;
        else
          delete from product_search_postings s using removed o, unnest(o.name_words) w
            where s.word = w and s.name_len = char_length(o.search_name) and s.product_id = o.id;
        end if;
        return null;
      end $$`);
    this.addSql(
      `create trigger product_words_on_delete after delete on products referencing old table as removed for each statement execute function product_words_collect()`,
    );
    this.addSql(`analyze product_search_postings`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists product_words_on_delete on products`);
    this.addSql(`drop table if exists product_search_postings`);
    this.addSql(`
      create or replace function product_words_collect() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' then
          insert into product_words (word)
            select distinct unnest(n.name_words) from added n join removed o on o.id = n.id where o.name <> n.name
            on conflict do nothing;
        else
          insert into product_words (word) select distinct unnest(n.name_words) from added n on conflict do nothing;
        end if;
        return null;
      end $$`);
  }
}
