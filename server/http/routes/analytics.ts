import { z } from 'zod';
import {
  AnalyticsSettingsInput,
  AnalyticsSettingsView,
  JobAccepted,
  MenuAnalysis,
  MenuItemsInput,
  MenuItemsView,
  MenuQuery,
  PosConnectionInput,
  PosConnectionView,
  SimulationAccepted,
  SimulationIdParams,
  SimulationInput,
  SimulationView,
} from '../../../domain/analytics/index.js';
import type { Modules } from '../../../domain/modules.js';
import { Reply, type Api, type ResponseDoc } from '../api.js';

const tags = ['analytics'];
const merchants = ['merchant'] as const; // admins pass every role rule
const noPos: Record<number, ResponseDoc> = { 404: { description: 'No POS connection' } };
const noSimulation: Record<number, ResponseDoc> = { 404: { description: "No such simulation (or another merchant's)" } };

/** Settings, items, the POS connection, menu engineering and simulations, always of the calling merchant. */
export function registerAnalyticsRoutes(api: Api, { analytics }: Modules): void {
  registerSetupRoutes(api, analytics);
  registerPosRoutes(api, analytics);
  registerAnalysisRoutes(api, analytics);
}

function registerSetupRoutes(api: Api, analytics: Modules['analytics']): void {
  api.add({
    method: 'get',
    path: '/analytics/settings',
    summary: 'Time zone and default food cost of the analyses',
    tags,
    auth: merchants,
    responses: { 200: { description: 'The settings (defaults until set)', schema: AnalyticsSettingsView } },
    handler: ({ user }) => analytics.settings.get(user.id),
  });
  api.add({
    method: 'put',
    path: '/analytics/settings',
    summary: 'Set the time zone (hours, weekdays, CSV times without an offset) and the default food-cost %',
    tags,
    auth: merchants,
    body: AnalyticsSettingsInput,
    responses: { 200: { description: 'The settings', schema: AnalyticsSettingsView } },
    handler: ({ user, body }) => analytics.settings.put(user.id, body),
  });
  api.add({
    method: 'get',
    path: '/analytics/items',
    summary: 'The item dictionary: every item transactions name, with category, code, list price, unit cost, product',
    tags,
    auth: merchants,
    responses: { 200: { description: 'The items', schema: MenuItemsView } },
    handler: async ({ user }) => ({ items: await analytics.items.list(user.id) }),
  });
  api.add({
    method: 'put',
    path: '/analytics/items',
    summary: 'Create or change items by name (null clears a field, an absent one is kept)',
    tags,
    auth: merchants,
    body: MenuItemsInput,
    responses: { 200: { description: 'All the items', schema: MenuItemsView }, 409: { description: 'A code already names another item' } },
    handler: async ({ user, body }) => ({ items: await analytics.items.put(user.id, body.items) }),
  });
}

function registerPosRoutes(api: Api, analytics: Modules['analytics']): void {
  api.add({
    method: 'put',
    path: '/analytics/pos',
    summary: 'Connect Square (the token is encrypted at rest and never returned); a first sync starts at once, then every 12 h',
    tags,
    auth: merchants,
    body: PosConnectionInput,
    responses: { 200: { description: 'The connection', schema: PosConnectionView }, 503: { description: 'POS_TOKEN_KEY is not configured' } },
    handler: ({ user, body }) => analytics.pos.connect(user.id, body),
  });
  api.add({
    method: 'get',
    path: '/analytics/pos',
    summary: 'The connection without its token: status, last success, last error, next run, recent runs',
    tags,
    auth: merchants,
    responses: { 200: { description: 'The connection', schema: PosConnectionView }, ...noPos },
    handler: ({ user }) => analytics.pos.view(user.id),
  });
  api.add({
    method: 'delete',
    path: '/analytics/pos',
    summary: 'Disconnect (stored transactions stay)',
    tags,
    auth: merchants,
    responses: { 204: { description: 'Disconnected' }, ...noPos },
    handler: async ({ user }) => {
      await analytics.pos.disconnect(user.id);
      return new Reply(204);
    },
  });
  api.add({
    method: 'post',
    path: '/analytics/pos/sync',
    summary: 'Sync now (the 12-hour schedule is unchanged)',
    tags,
    auth: merchants,
    body: z.object({}).strict(),
    responses: { 202: { description: 'Queued', schema: JobAccepted }, ...noPos, 409: { description: 'The connection needs a new token' } },
    handler: async ({ user }) => new Reply(202, await analytics.pos.requestSync(user.id)),
  });
}

function registerAnalysisRoutes(api: Api, analytics: Modules['analytics']): void {
  api.add({
    method: 'get',
    path: '/analytics/menu',
    summary: 'Menu engineering for a period (days in the merchant time zone, both included): items and quadrants, hours, weekdays, pairs',
    tags,
    auth: merchants,
    query: MenuQuery,
    responses: { 200: { description: 'The analysis', schema: MenuAnalysis } },
    handler: ({ user, query }) => analytics.menu.analyse(user.id, query),
  });
  api.add({
    method: 'post',
    path: '/analytics/simulations',
    summary: 'Start a Monte Carlo simulation of menu changes; progress over the socket (simulation:watch)',
    tags,
    auth: merchants,
    body: SimulationInput,
    responses: { 202: { description: 'Queued', schema: SimulationAccepted } },
    handler: async ({ user, body }) => new Reply(202, await analytics.simulations.create(user.id, body)),
  });
  api.add({
    method: 'get',
    path: '/analytics/simulations/:id',
    summary: 'A simulation: status, progress and, once completed, its result',
    tags,
    auth: merchants,
    params: SimulationIdParams,
    responses: { 200: { description: 'The simulation', schema: SimulationView }, ...noSimulation },
    handler: ({ user, params }) => analytics.simulations.view(user.id, params.id),
  });
  api.add({
    method: 'delete',
    path: '/analytics/simulations/:id',
    summary: 'Cancel a queued or running simulation',
    tags,
    auth: merchants,
    params: SimulationIdParams,
    responses: { 202: { description: 'Cancelled', schema: SimulationView }, ...noSimulation, 409: { description: 'Already finished' } },
    handler: async ({ user, params }) => new Reply(202, await analytics.simulations.cancel(user.id, params.id)),
  });
}
