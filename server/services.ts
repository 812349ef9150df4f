import type { Deps } from './container.js';

/** Test/ops overrides for outbound channels (SMS, mail) that the services use. */
export interface ServiceOverrides {}

/** Every domain service, built once per process. One line per module. */
export interface Services {}

export function createServices(_deps: Deps, _overrides: ServiceOverrides): Services {
  return {};
}
