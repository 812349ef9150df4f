import type { Modules } from '../../../domain/modules.js';
import type { Api } from '../api.js';
import { registerAnalyticsRoutes } from './analytics.js';
import { registerCartRoutes } from './cart.js';
import { registerCommunityRoutes } from './community.js';
import { registerDiaryRoutes } from './diary.js';
import { registerIdentityRoutes } from './identity.js';
import { registerLocalityRoutes } from './localities.js';
import { registerMealSetRoutes } from './mealsets.js';
import { registerImportRoutes } from './imports.js';
import { registerMeRoutes } from './me.js';
import { registerNotificationRoutes } from './notifications.js';
import { registerOrderRoutes } from './orders.js';
import { registerProductRoutes } from './products.js';
import { registerRestaurantRoutes } from './restaurants.js';
import { registerWebhookRoutes } from './webhooks.js';
import { registerUserRoutes } from './users.js';

/** Every module's REST routes, one line per module. */
export function registerRoutes(api: Api, modules: Modules): void {
  registerIdentityRoutes(api, modules);
  registerMeRoutes(api, modules);
  registerCartRoutes(api, modules);
  registerOrderRoutes(api, modules);
  registerProductRoutes(api, modules);
  registerDiaryRoutes(api, modules);
  registerCommunityRoutes(api, modules);
  registerLocalityRoutes(api, modules);
  registerRestaurantRoutes(api, modules);
  registerMealSetRoutes(api, modules);
  registerNotificationRoutes(api, modules);
  registerAnalyticsRoutes(api, modules);
  registerImportRoutes(api, modules);
  registerWebhookRoutes(api, modules);
  registerUserRoutes(api, modules);
}
