import type { AnalyticsModule } from './analytics/index.js';
import type { CartModule } from './cart/index.js';
import type { CatalogModule } from './catalog/index.js';
import type { CommunityModule } from './community/index.js';
import type { DiaryModule } from './diary/index.js';
import type { IdentityModule } from './identity/index.js';
import type { ImportsModule } from './imports/index.js';
import type { InventoryModule } from './inventory/index.js';
import type { LocalitiesModule } from './localities/index.js';
import type { Mailer } from './mail/index.js';
import type { MealSetsModule } from './mealsets/index.js';
import type { NotificationsModule } from './notifications/index.js';
import type { OrdersModule } from './orders/index.js';
import type { RestaurantsModule } from './restaurants/index.js';
import type { WebhooksModule } from './webhooks/index.js';
import type { OutboxDispatcher } from './shared/outbox-dispatcher.js';
import './shared/outbox.jobs.js';

/**
 * Every domain module as the composition root builds it (server/app/modules.ts) and the adapters
 * (HTTP routes, socket handlers, jobs) use it, one line per module.
 */
export interface Modules {
  identity: IdentityModule;
  localities: LocalitiesModule;
  catalog: CatalogModule;
  inventory: InventoryModule;
  cart: CartModule;
  orders: OrdersModule;
  restaurants: RestaurantsModule;
  mealsets: MealSetsModule;
  notifications: NotificationsModule;
  imports: ImportsModule;
  webhooks: WebhooksModule;
  mail: Mailer;
  diary: DiaryModule;
  community: CommunityModule;
  analytics: AnalyticsModule;
  outbox: OutboxDispatcher;
}
