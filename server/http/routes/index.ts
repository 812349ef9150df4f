import type { Modules } from '../../../domain/modules.js';
import type { Api } from '../api.js';
import { registerCartRoutes } from './cart.js';
import { registerIdentityRoutes } from './identity.js';
import { registerMeRoutes } from './me.js';
import { registerOrderRoutes } from './orders.js';
import { registerProductRoutes } from './products.js';
import { registerUserRoutes } from './users.js';

/** Every module's REST routes, one line per module. */
export function registerRoutes(api: Api, modules: Modules): void {
  registerIdentityRoutes(api, modules);
  registerMeRoutes(api, modules);
  registerCartRoutes(api, modules);
  registerOrderRoutes(api, modules);
  registerProductRoutes(api, modules);
  registerUserRoutes(api, modules);
}
