import type { ModuleDeps } from '../shared/module-deps.js';
import { LocalitiesService } from './localities.service.js';
import './localities.events.js';

export * from './localities.schemas.js';
export { Locality } from './locality.entity.js';
export type { LocalitiesService } from './localities.service.js';

/** Localities as data (slug, name, time zone, order cut-off, reminder time), admin-managed. */
export interface LocalitiesModule {
  localities: LocalitiesService;
}

export function createLocalitiesModule(deps: ModuleDeps): LocalitiesModule {
  return { localities: new LocalitiesService(deps) };
}
