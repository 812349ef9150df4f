import type { AppContext } from '../../platform/app-context.js';
import type { SocketEvents } from '../handle.js';
import { registerAnalyticsHandlers } from './analytics.js';
import { registerSessionHandlers } from './session.js';
import { registerCartHandlers } from './cart.js';
import { registerCommunityHandlers } from './community.js';
import { registerOrderHandlers } from './orders.js';
import { registerImportHandlers } from './imports.js';

/** Every module's socket handlers, one line per module (registered once per process, shared by every socket). */
export function registerSocketHandlers(context: AppContext, events: SocketEvents): void {
  registerSessionHandlers(context, events);
  registerCartHandlers(context, events);
  registerOrderHandlers(context, events);
  registerCommunityHandlers(context, events);
  registerAnalyticsHandlers(context, events);
  registerImportHandlers(context, events);
}
