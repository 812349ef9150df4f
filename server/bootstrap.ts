import type { Container } from './container.js';

/** Start-up work that must happen before serving: one line per module (e.g. the admin account). */
export async function bootstrap(_container: Container): Promise<void> {}
