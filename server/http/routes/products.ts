import { z } from 'zod';
import {
  BarcodeParams,
  CategoryOutput,
  CreateProductInput,
  DeleteProductsQuery,
  DishAddonsInput,
  DishAddonsView,
  JobAccepted,
  ListProductsQuery,
  ProductIdParams,
  ProductOutput,
  ProductPage,
  ProductWithVerdict,
  UpdateProductInput,
  VerdictOutput,
} from '../../../domain/catalog/index.js';
import type { Modules } from '../../../domain/modules.js';
import { Reply, type Api, type ResponseDoc } from '../api.js';
import { withEtag } from '../etag.js';

const tags = ['catalog'];
const managers = ['merchant'] as const; // admins pass every role rule
const notFound: Record<number, ResponseDoc> = { 404: { description: "No such product (or another merchant's)" } };
const cached: Record<number, ResponseDoc> = { 304: { description: 'Not modified (If-None-Match matched the ETag)' } };

/** Products, barcode look-up, verdicts, add-on links and categories. */
export function registerProductRoutes(api: Api, modules: Modules): void {
  const catalog = modules.catalog.service;
  const { addons, categories } = modules.catalog;

  api.add({
    method: 'get',
    path: '/products',
    summary: 'List or search products',
    tags,
    auth: 'optional',
    query: ListProductsQuery,
    responses: { 200: { description: 'A page of products', schema: ProductPage }, ...cached, 401: { description: 'suitable=true without a token' } },
    handler: async ({ user, query, ctx }) => withEtag(ctx, await catalog.list(user, query)),
  });
  api.add({
    method: 'get',
    path: '/products/barcode/:code',
    summary: 'Product by EAN-8/UPC-A/EAN-13, with a verdict when signed in',
    tags,
    auth: 'optional',
    params: BarcodeParams,
    responses: { 200: { description: 'The product', schema: ProductWithVerdict }, ...cached, 404: { description: 'No product with this barcode' } },
    handler: async ({ user, params, ctx }) => withEtag(ctx, await catalog.byBarcode(user, params.code)),
  });
  api.add({
    method: 'get',
    path: '/products/:id',
    summary: 'One product',
    tags,
    auth: 'optional',
    params: ProductIdParams,
    responses: { 200: { description: 'The product', schema: ProductOutput }, ...cached, ...notFound },
    handler: async ({ user, params, ctx }) => withEtag(ctx, await catalog.get(user, params.id)),
  });
  api.add({
    method: 'get',
    path: '/products/:id/verdict',
    summary: 'Can I eat this? Judged against my health profile',
    tags,
    auth: 'user',
    params: ProductIdParams,
    responses: { 200: { description: 'ok, caution or avoid with one reason per rule hit', schema: VerdictOutput }, ...notFound },
    handler: ({ user, params }) => catalog.verdict(user, params.id),
  });
  api.add({
    method: 'post',
    path: '/products',
    summary: 'Create a product',
    tags,
    auth: managers,
    body: CreateProductInput,
    responses: { 201: { description: 'The product', schema: ProductOutput }, 409: { description: 'SKU or barcode already in use' } },
    handler: ({ user, body }) => catalog.create(user, body),
  });
  api.add({
    method: 'patch',
    path: '/products/:id',
    summary: 'Change a product',
    tags,
    auth: managers,
    params: ProductIdParams,
    body: UpdateProductInput,
    responses: { 200: { description: 'The product', schema: ProductOutput }, ...notFound, 409: { description: 'SKU or barcode already in use' } },
    handler: ({ user, params, body }) => catalog.update(user, params.id, body),
  });
  api.add({
    method: 'delete',
    path: '/products/:id',
    summary: 'Delete a product',
    tags,
    auth: managers,
    params: ProductIdParams,
    responses: { 204: { description: 'Deleted' }, ...notFound },
    handler: async ({ user, params }) => new Reply(204, await catalog.remove(user, params.id)),
  });
  api.add({
    method: 'delete',
    path: '/products',
    summary: "Delete all of the merchant's products (background job; `jobId` is watchable with import:watch and readable at GET /imports/:id)",
    tags,
    auth: managers,
    query: DeleteProductsQuery,
    responses: { 202: { description: 'Deletion started', schema: JobAccepted } },
    handler: ({ user, query }) => modules.imports.purges.start(user, query.merchantId),
  });
  api.add({
    method: 'get',
    path: '/categories',
    summary: 'Categories with their product counts',
    tags,
    auth: 'public',
    responses: { 200: { description: 'Categories', schema: z.array(CategoryOutput) } },
    handler: () => categories.list(),
  });
  api.add({
    method: 'get',
    path: '/products/:id/addons',
    summary: 'The add-ons a dish may be ordered with',
    tags,
    auth: 'public',
    params: ProductIdParams,
    responses: { 200: { description: 'Add-on ids', schema: DishAddonsView }, 404: { description: 'No such active dish' } },
    handler: ({ params }) => addons.get(params.id),
  });
  api.add({
    method: 'put',
    path: '/products/:id/addons',
    summary: "Replace a dish's add-ons (the merchant's own add-on products)",
    tags,
    auth: managers,
    params: ProductIdParams,
    body: DishAddonsInput,
    responses: { 200: { description: 'The stored list', schema: DishAddonsView }, 404: { description: 'Not your dish' } },
    handler: ({ user, params, body }) => addons.replace(user, params.id, body),
  });
}
