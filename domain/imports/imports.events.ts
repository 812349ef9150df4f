import type { ImportSummary } from './import-type.js';
import type { ImportView } from './imports.schemas.js';

declare module '../shared/domain-events.js' {
  interface DomainEvents {
    /** An import's (or a purge's) committed state, several times a second while it runs (pushed as import:progress). */
    'import.progress': ImportView;
    /** It ended: completed, failed or cancelled (pushed once as import:finished). */
    'import.finished': ImportView;
    /** One summary per products import that wrote anything (webhooks): never one event per row. */
    'products.imported': ImportSummary;
    /** One summary per merchant purge that deleted anything (webhooks), instead of a product.deleted per product. */
    'products.purged': { operationId: string; merchantId: string; deleted: number; status: 'completed' | 'failed' | 'cancelled'; finishedAt: string };
  }
}
