import { z } from 'zod';
import { DishAddonsInput, DishAddonsView } from '../../../domain/orders/dish-addons.js';
import type { Container } from '../../container.js';
import type { Api } from '../api.js';

const tags = ['catalog'];
const DishParams = z.object({ id: z.uuid() }).strict();

/** The add-ons a dish may be ordered with. */
export function registerDishAddonRoutes(api: Api, { services }: Container): void {
  api.add({
    method: 'get', path: '/products/:id/addons', summary: 'The add-ons a dish may be ordered with', tags, auth: 'public', params: DishParams,
    responses: { 200: { description: 'Add-on ids', schema: DishAddonsView }, 404: { description: 'No such active dish' } },
    handler: ({ params }) => services.dishAddons.get(params.id),
  });
  api.add({
    method: 'put', path: '/products/:id/addons', summary: "Replace a dish's add-ons (the merchant's own add-on products)", tags,
    auth: ['merchant'], params: DishParams, body: DishAddonsInput,
    responses: { 200: { description: 'The stored list', schema: DishAddonsView }, 404: { description: 'Not your dish' } },
    handler: ({ user, params, body }) => services.dishAddons.replace(user, params.id, body),
  });
}
