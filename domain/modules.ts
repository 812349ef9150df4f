import type { CartModule } from './cart/index.js';
import type { CatalogModule } from './catalog/index.js';
import type { IdentityModule } from './identity/index.js';
import type { ImportsModule } from './imports/index.js';
import type { InventoryModule } from './inventory/index.js';
import type { Mailer } from './mail/index.js';
import type { OrdersModule } from './orders/index.js';
import type { WebhooksModule } from './webhooks/index.js';
import type { OutboxDispatcher } from './shared/outbox-dispatcher.js';
import './shared/outbox.jobs.js';

/**
 * Every domain module as the composition root builds it (server/app/modules.ts) and the adapters
 * (HTTP routes, socket handlers, jobs) use it, one line per module.
 */
export interface Modules {
  identity: IdentityModule;
  catalog: CatalogModule;
  inventory: InventoryModule;
  cart: CartModule;
  orders: OrdersModule;
  imports: ImportsModule;
  webhooks: WebhooksModule;
  mail: Mailer;
  outbox: OutboxDispatcher;
}
