import type { Container } from '../../container.js';
import type { Api } from '../api.js';

/** Every module's REST routes, one line per module. */
export function registerRoutes(_api: Api, _container: Container): void {}
