import { Migration } from '@mikro-orm/migrations';

/**
 * Catalog: products with the indexes the listing and search plans rely on. The plan notes below were
 * taken with EXPLAIN (ANALYZE, BUFFERS) on 1,000,000 generated products (npm run bench:data); see
 * domain/catalog/listing/search-sql.ts for the query shapes.
 *
 * Search is word-based: a trigram GIN over each whole name matched ~10k rows per query on 1M products
 * (bitmap index scan alone 25-80 ms, plus a similarity recheck per heap row: 100-260 ms per search).
 * Instead, the distinct words of all names live in `product_words` (tens of thousands of rows) with
 * the trigram GIN; a query word expands there (typos, substrings) in about a millisecond, and the
 * products holding an expanded word come from a GIN over `name_words`.
 */
export class Migration20261125000200_catalog extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists pg_trgm`);
    this.addSql(`create extension if not exists unaccent`);
    // unaccent() is only STABLE (its dictionary could be swapped); pinning the dictionary makes the
    // fold immutable, which a generated column and an index expression require.
    this.addSql(`
      create function larder_fold(text) returns text
        language sql immutable strict parallel safe
        return lower(public.unaccent('public.unaccent'::regdictionary, $1))`);
    // The words of a folded name: "Pain au chocolat 70%" → {pain,au,chocolat,70}.
    this.addSql(`
      create function larder_name_words(text) returns text[]
        language sql immutable strict parallel safe
        return array_remove(regexp_split_to_array(larder_fold($1), '[^[:alnum:]]+'), '')`);

    this.addSql(`
      create table products (
        id uuid primary key,
        merchant_id uuid not null references users (id) on delete cascade,
        sku text not null check (char_length(sku) between 1 and 64),
        name text not null check (char_length(name) between 1 and 200),
        search_name text collate "C" not null generated always as (larder_fold(name)) stored,
        name_words text[] not null generated always as (larder_name_words(name)) stored,
        description text not null default '' check (char_length(description) <= 5000),
        price_cents integer not null check (price_cents >= 0),
        currency text not null default 'EUR' check (currency ~ '^[A-Z]{3}$'),
        stock integer not null default 0 check (stock >= 0),
        stock_version bigint not null default 1,
        barcode text check (barcode ~ '^([0-9]{8}|[0-9]{12,13})$'),
        category text not null default 'other' check (category ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and char_length(category) <= 64),
        kind text not null default 'grocery' check (kind in ('grocery', 'dish', 'addon')),
        energy_kcal double precision check (energy_kcal >= 0),
        protein double precision check (protein between 0 and 100),
        fat double precision check (fat between 0 and 100),
        saturated_fat double precision check (saturated_fat between 0 and 100),
        carbohydrate double precision check (carbohydrate between 0 and 100),
        sugars double precision check (sugars between 0 and 100),
        fibre double precision check (fibre between 0 and 100),
        salt double precision check (salt between 0 and 100),
        iodine_ug double precision check (iodine_ug >= 0),
        ingredients text not null default '' check (char_length(ingredients) <= 10000),
        ingredient_flags text[] not null default '{}',
        labels text[] not null default '{}',
        allergens text[] not null default '{}',
        active boolean not null default true,
        version integer not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);

    // Every writer (the ORM, checkout's guarded stock update, bulk imports) advances the versions, so
    // the product cache and the cart's stock mirror can refuse older data without trusting callers.
    this.addSql(`
      create function products_bump_versions() returns trigger language plpgsql as $$
      begin
        new.version := old.version + 1;
        if new.stock is distinct from old.stock then
          new.stock_version := old.stock_version + 1;
        end if;
        return new;
      end $$`);
    this.addSql(`create trigger products_bump_versions before update on products for each row execute function products_bump_versions()`);

    // The search dictionary: every word that ever appeared in a name (stale words match no product).
    // Statement-level triggers with transition tables keep it current for COPY and bulk upserts too.
    this.addSql(`create table product_words (word text collate "C" primary key)`);
    this.addSql(`create index product_words_trgm on product_words using gin (word gin_trgm_ops) with (fastupdate = off)`);
    this.addSql(`
      create function product_words_collect() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' then
          -- Stock and price updates (checkout's hot path) leave names alone: skip them cheaply.
          insert into product_words (word)
            select distinct unnest(n.name_words) from added n join removed o on o.id = n.id where o.name <> n.name
            on conflict do nothing;
        else
          insert into product_words (word) select distinct unnest(n.name_words) from added n on conflict do nothing;
        end if;
        return null;
      end $$`);
    this.addSql(
      `create trigger product_words_on_insert after insert on products referencing new table as added for each statement execute function product_words_collect()`,
    );
    this.addSql(
      `create trigger product_words_on_update after update on products referencing new table as added old table as removed for each statement execute function product_words_collect()`,
    );

    this.addSql(`create unique index products_merchant_sku_key on products (merchant_id, lower(sku))`);
    // UPC-A and EAN-13 spell the same GTIN with and without a leading zero: unique on the 14-digit form.
    this.addSql(`create unique index products_barcode_key on products (lpad(barcode, 14, '0')) where barcode is not null`);
    // Products holding any of a query word's expansions (`name_words && array[...]`).
    this.addSql(`create index products_name_words on products using gin (name_words)`);
    // A long most-common-elements list lets the planner see that a rare word matches few rows; with
    // the default (100) a 3-letter query expanding to rare brand words was estimated at ~18k rows and,
    // under LIMIT, answered by a sequential scan (500 ms on 1M rows instead of 4 ms through the GIN).
    this.addSql(`alter table products alter column name_words set statistics 1000`);
    // search_name is collated "C", so one btree serves exact match, prefix LIKE (q of 1-2 characters)
    // and the keyset for sort=name.
    this.addSql(`create index products_search_name on products (search_name, id)`);
    this.addSql(`create index products_newest on products (created_at, id)`);
    this.addSql(`create index products_price on products (price_cents, id)`);
    this.addSql(`create index products_category on products (category, created_at, id)`);
    this.addSql(`create index products_merchant on products (merchant_id, created_at, id)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists products`);
    this.addSql(`drop table if exists product_words`);
    this.addSql(`drop function if exists product_words_collect()`);
    this.addSql(`drop function if exists larder_name_words(text)`);
    this.addSql(`drop function if exists products_bump_versions()`);
    this.addSql(`drop function if exists larder_fold(text)`);
  }
}
