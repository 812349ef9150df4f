import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { SIMULATION_STATUSES, type SimulationInput, type SimulationResult } from './analytics.schemas.js';

/** A Monte Carlo simulation request, its progress and its stored result. */
export const Simulation = defineEntity({
  name: 'Simulation',
  tableName: 'analytics_simulations',
  properties: {
    id: p.uuid().primary(),
    merchantId: p.uuid(),
    status: p.enum(SIMULATION_STATUSES),
    request: p.json<SimulationInput>(),
    seed: p.bigint('number'),
    runs: p.integer(),
    runsDone: p.integer().default(0),
    result: p.json<SimulationResult>().nullable(),
    error: p.text().nullable(),
    createdAt: p.datetime(),
    startedAt: p.datetime().nullable(),
    finishedAt: p.datetime().nullable(),
  },
});
export type Simulation = InferEntity<typeof Simulation>;
