import type { Container } from '../../container.js';
import type { AppSocket } from '../handle.js';
import { registerSessionHandlers } from './session.js';
import { registerCartHandlers } from './cart.js';
import { registerOrderHandlers } from './orders.js';

/** Every module's socket handlers, one line per module. */
export function registerSocketHandlers(container: Container, socket: AppSocket): void {
  registerSessionHandlers(container, socket);
  registerCartHandlers(container, socket);
  registerOrderHandlers(container, socket);
}
