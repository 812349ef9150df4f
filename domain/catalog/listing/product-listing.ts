import type { EntityManager } from '@mikro-orm/postgresql';
import type { HealthProfile } from '../../identity/index.js';
import { encodeCursor, type Page } from '../../shared/pagination.js';
import type { ListProductsQuery } from '../catalog.schemas.js';
import type { Caller } from '../product-access.js';
import { toProductData, type ProductData, type ProductRow } from '../product-row.js';
import { isRankedSearch, listingSql } from './listing-sql.js';
import type { ReplicaReads } from './replica-reads.js';
import { WordExpansions } from './word-expansions.js';
import { WordShares, type WordShare } from './word-frequencies.js';
import { nativeRows } from '../../shared/native-query.js';

type Row = ProductRow & { sort_key: string };

/**
 * Product listings and search with keyset pagination: a page continues strictly after the last row
 * served, so rows inserted meanwhile never shift a page (no duplicates, no gaps). Reads go to a
 * replica when one is configured, except a writer's until the replica has their write (ReplicaReads).
 */
export class ProductListing {
  private readonly shares: WordShares;
  private readonly expansions: WordExpansions;

  constructor(
    em: EntityManager,
    private readonly replicas: ReplicaReads,
  ) {
    this.shares = new WordShares(em);
    this.expansions = new WordExpansions(em);
  }

  /** A product was written: remembered word expansions may miss its new words. */
  forgetExpansions(): void {
    this.expansions.forget();
  }

  /** One page of products matching the query. */
  async page(q: ListProductsQuery, caller: Caller | undefined, profile: HealthProfile | null): Promise<Page<ProductData>> {
    let expanded: string[][] = [];
    let share: WordShare | undefined;
    if (isRankedSearch(q)) {
      [expanded, share] = await Promise.all([this.expansions.of(q.q!), this.shares.get()]);
    }
    const connection = await this.replicas.connection(caller?.id);
    // Prepared unless a health profile shapes the filter: its rules' arrays make a text per profile, and
    // each prepared text holds a plan in every pooled connection.
    const rows = await nativeRows<Row>(connection, listingSql(q, caller, profile, expanded, share), profile === null);
    const more = rows.length > q.limit;
    const items = more ? rows.slice(0, q.limit) : rows;
    const last = items[items.length - 1];
    return { items: items.map(toProductData), nextCursor: more && last ? encodeCursor([last.sort_key, last.id]) : null };
  }
}
