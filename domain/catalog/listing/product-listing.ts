import type { HealthProfile } from '../../identity/index.js';
import { encodeCursor, type Page } from '../../shared/pagination.js';
import type { ListProductsQuery } from '../catalog.schemas.js';
import type { Caller } from '../product-access.js';
import { toProductData, type ProductData, type ProductRow } from '../product-row.js';
import { isRankedSearch, listingSql } from './listing-sql.js';
import type { ReplicaReads } from './replica-reads.js';
import { expansionsSql } from './search-sql.js';

type Row = ProductRow & { sort_key: string };

/**
 * Product listings and search with keyset pagination: a page continues strictly after the last row
 * served, so rows inserted meanwhile never shift a page (no duplicates, no gaps). Reads go to a
 * replica when one is configured, except a writer's until the replica has their write (ReplicaReads).
 */
export class ProductListing {
  constructor(private readonly replicas: ReplicaReads) {}

  /** One page of products matching the query. */
  async page(q: ListProductsQuery, caller: Caller | undefined, profile: HealthProfile | null): Promise<Page<ProductData>> {
    const connection = await this.replicas.connection(caller?.id);
    let expanded: string[][] = [];
    if (isRankedSearch(q)) {
      const words = expansionsSql(q.q!);
      const [row] = await connection.execute<Array<Record<string, string[]>>>(words.text, [...words.params]);
      expanded = Object.values(row ?? {});
    }
    const built = listingSql(q, caller, profile, expanded);
    const rows: Row[] = await connection.execute(built.text, [...built.params]);
    const more = rows.length > q.limit;
    const items = more ? rows.slice(0, q.limit) : rows;
    const last = items[items.length - 1];
    return { items: items.map(toProductData), nextCursor: more && last ? encodeCursor([last.sort_key, last.id]) : null };
  }
}
