import type { Container } from '../../container.js';
import type { Api } from '../api.js';
import { registerIdentityRoutes } from './identity.js';
import { registerMeRoutes } from './me.js';
import { registerCartRoutes } from './cart.js';
import { registerOrderRoutes } from './orders.js';
import { registerDishAddonRoutes } from './dish-addons.js';
import { registerProductRoutes } from './products.js';

/** Every module's REST routes, one line per module. */
export function registerRoutes(api: Api, container: Container): void {
  registerIdentityRoutes(api, container);
  registerMeRoutes(api, container);
  registerCartRoutes(api, container);
  registerOrderRoutes(api, container);
  registerDishAddonRoutes(api, container);
  registerProductRoutes(api, container);
}
