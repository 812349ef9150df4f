import {
  CreateLocalityInput,
  ListLocalitiesQuery,
  LocalityOutput,
  LocalityPage,
  LocalityParams,
  UpdateLocalityInput,
} from '../../../domain/localities/index.js';
import { JobAccepted } from '../../../domain/catalog/index.js';
import type { Modules } from '../../../domain/modules.js';
import { z } from 'zod';
import { Reply, type Api } from '../api.js';

const tags = ['localities'];
const admins = ['admin'] as const;

/** Localities (admin-managed) and their reminder's "send now". */
export function registerLocalityRoutes(api: Api, { localities: { localities }, mealsets }: Modules): void {
  api.add({
    method: 'get',
    path: '/localities',
    summary: 'Localities by slug',
    tags,
    auth: 'public',
    query: ListLocalitiesQuery,
    responses: { 200: { description: 'A page of localities', schema: LocalityPage } },
    handler: ({ query }) => localities.list(query),
  });
  api.add({
    method: 'get',
    path: '/localities/:slug',
    summary: 'One locality',
    tags,
    auth: 'public',
    params: LocalityParams,
    responses: { 200: { description: 'The locality', schema: LocalityOutput }, 404: { description: 'No such locality' } },
    handler: ({ params }) => localities.get(params.slug),
  });
  api.add({
    method: 'post',
    path: '/localities',
    summary: 'Create a locality (admin)',
    tags,
    auth: admins,
    body: CreateLocalityInput,
    responses: { 201: { description: 'The locality', schema: LocalityOutput }, 409: { description: 'The slug is taken' } },
    handler: ({ body }) => localities.create(body),
  });
  api.add({
    method: 'patch',
    path: '/localities/:slug',
    summary: "Change a locality's name, time zone, cut-off or reminder time (admin); its reminder schedule follows",
    tags,
    auth: admins,
    params: LocalityParams,
    body: UpdateLocalityInput,
    responses: { 200: { description: 'The locality', schema: LocalityOutput }, 404: { description: 'No such locality' } },
    handler: ({ params, body }) => localities.update(params.slug, body),
  });
  api.add({
    method: 'post',
    path: '/localities/:slug/reminders',
    summary: "Send today's meal-set reminder of the locality now (admin; never after the cut-off, never twice to a customer)",
    tags,
    auth: admins,
    params: LocalityParams,
    body: z.object({}).strict(),
    responses: { 202: { description: 'The reminder job', schema: JobAccepted }, 404: { description: 'No such locality' } },
    handler: async ({ params }) => new Reply(202, await mealsets.reminderSchedule.sendNow(params.slug)),
  });
}
