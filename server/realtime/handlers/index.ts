import type { AppContext } from '../../platform/app-context.js';
import type { AppSocket } from '../handle.js';
import { registerAnalyticsHandlers } from './analytics.js';
import { registerSessionHandlers } from './session.js';
import { registerCartHandlers } from './cart.js';
import { registerCommunityHandlers } from './community.js';
import { registerOrderHandlers } from './orders.js';
import { registerImportHandlers } from './imports.js';

/** Every module's socket handlers, one line per module. */
export function registerSocketHandlers(context: AppContext, socket: AppSocket): void {
  registerSessionHandlers(context, socket);
  registerCartHandlers(context, socket);
  registerOrderHandlers(context, socket);
  registerCommunityHandlers(context, socket);
  registerAnalyticsHandlers(context, socket);
  registerImportHandlers(context, socket);
}
