import type { EntityManager } from '@mikro-orm/postgresql';
import type { UserDirectory } from '../identity/index.js';
import type { Actor } from '../shared/actor.js';
import { AppError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';
import type { JobQueue } from '../shared/job-queue.js';
import { decodeCursor, encodeCursor, isUuid, type Page, type PageQuery } from '../shared/pagination.js';
import type { UnitOfWork } from '../shared/unit-of-work.js';
import type { DeliveryStore } from './delivery-store.js';
import { assertEndpointUrl } from './endpoint-url.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { newWebhookSecret } from './webhook-signature.js';
import type { CreateWebhookInput, DeliveryView, UpdateWebhookInput, WebhookView } from './webhooks.schemas.js';

/** How long the secret replaced by a rotation keeps signing beside the new one. */
export const ROTATION_OVERLAP_MS = 24 * 3600_000;

export interface WebhooksServiceParts {
  em: EntityManager;
  uow: UnitOfWork;
  jobs: JobQueue;
  clock: Clock;
  store: DeliveryStore;
  users: Pick<UserDirectory, 'isMerchant'>;
  allowPrivate: boolean;
}

const toView = (e: WebhookEndpoint): WebhookView => ({
  id: e.id,
  merchantId: e.merchantId,
  url: e.url,
  events: e.events as WebhookView['events'],
  enabled: e.enabled,
  disabledReason: e.disabledReason ?? null,
  createdAt: e.createdAt.toISOString(),
  updatedAt: e.updatedAt.toISOString(),
});

/** Endpoints (merchant-owned; an admin sees and manages all), their delivery log, replays, test pings, secret rotation. */
export class WebhooksService {
  constructor(private readonly p: WebhooksServiceParts) {}

  async create(caller: Actor, input: CreateWebhookInput): Promise<WebhookView & { secret: string }> {
    const merchantId = await this.owner(caller, input.merchantId);
    const url = assertEndpointUrl(input.url, this.p.allowPrivate);
    const secret = newWebhookSecret();
    const endpoint = await this.p.uow.run(async (tx) => {
      const e = tx.create(WebhookEndpoint, { merchantId, url, events: input.events, secret });
      await tx.flush();
      return e;
    });
    return { ...toView(endpoint), secret };
  }

  async list(caller: Actor, page: PageQuery): Promise<Page<WebhookView>> {
    const [at, id] = page.cursor ? afterCursor(page.cursor) : [new Date(0).toISOString(), '00000000-0000-0000-0000-000000000000'];
    const endpoints = await this.p.em.find(
      WebhookEndpoint,
      { ...(caller.role === 'admin' ? {} : { merchantId: caller.id }), $or: [{ createdAt: { $gt: at } }, { createdAt: at, id: { $gt: id } }] },
      { orderBy: { createdAt: 'asc', id: 'asc' }, limit: page.limit + 1 },
    );
    const served = endpoints.slice(0, page.limit);
    const last = served[served.length - 1];
    return { items: served.map(toView), nextCursor: endpoints.length > page.limit ? encodeCursor([last.createdAt.toISOString(), last.id]) : null };
  }

  async get(caller: Actor, id: string): Promise<WebhookView> {
    return toView(await this.visible(caller, id, this.p.em));
  }

  async update(caller: Actor, id: string, patch: UpdateWebhookInput): Promise<WebhookView> {
    return this.p.uow.run(async (tx) => {
      const endpoint = await this.visible(caller, id, tx);
      if (patch.url !== undefined) endpoint.url = assertEndpointUrl(patch.url, this.p.allowPrivate);
      if (patch.events !== undefined) endpoint.events = patch.events;
      if (patch.enabled !== undefined) {
        endpoint.enabled = patch.enabled;
        endpoint.disabledReason = patch.enabled ? null : 'disabled by its owner';
      }
      await tx.flush();
      return toView(endpoint);
    });
  }

  async remove(caller: Actor, id: string): Promise<void> {
    await this.p.uow.run(async (tx) => {
      tx.remove(await this.visible(caller, id, tx));
      await tx.flush();
    });
  }

  /** A new secret; the old one keeps signing (a second signature) for 24 h, so receivers can switch without losing a delivery. */
  async rotateSecret(caller: Actor, id: string): Promise<{ secret: string }> {
    const secret = newWebhookSecret();
    await this.p.uow.run(async (tx) => {
      const endpoint = await this.visible(caller, id, tx);
      endpoint.previousSecret = endpoint.secret;
      endpoint.previousSecretExpiresAt = new Date(this.p.clock.now().getTime() + ROTATION_OVERLAP_MS);
      endpoint.secret = secret;
      await tx.flush();
    });
    return { secret };
  }

  /** Queues a `ping` to the endpoint (a manual delivery: no retries). */
  async ping(caller: Actor, id: string): Promise<{ deliveryId: string; messageId: string }> {
    const endpoint = await this.enabled(caller, id);
    const body = JSON.stringify({ type: 'ping', timestamp: this.p.clock.now().toISOString(), data: { endpointId: endpoint.id } });
    const [attemptId] = await this.p.uow.run((tx) => this.p.store.createMessages(tx, [endpoint.id], null, 'ping', body, true));
    return this.queue(attemptId);
  }

  /** Replays the message of one delivery (same webhook-id, a fresh timestamp and signature). */
  async retry(caller: Actor, id: string, deliveryId: string): Promise<{ deliveryId: string; messageId: string }> {
    await this.enabled(caller, id);
    const replay = await this.p.uow.run((tx) => this.p.store.replay(tx, id, deliveryId));
    await this.p.jobs.enqueue('webhooks.deliver', { attemptId: replay.attemptId });
    return { deliveryId: replay.attemptId, messageId: replay.messageId };
  }

  async deliveries(caller: Actor, id: string, page: PageQuery): Promise<Page<DeliveryView>> {
    await this.visible(caller, id, this.p.em);
    return this.p.store.list(id, page);
  }

  private async queue(attemptId: string): Promise<{ deliveryId: string; messageId: string }> {
    await this.p.jobs.enqueue('webhooks.deliver', { attemptId });
    const [row] = await this.p.em.execute<Array<{ message_id: string }>>(`select message_id from webhook_attempts where id = ?`, [attemptId]);
    return { deliveryId: attemptId, messageId: row.message_id };
  }

  private async enabled(caller: Actor, id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.visible(caller, id, this.p.em);
    if (!endpoint.enabled) throw new AppError('CONFLICT', `The endpoint is disabled (${endpoint.disabledReason ?? 'by its owner'}); enable it first`);
    return endpoint;
  }

  private async visible(caller: Actor, id: string, em: EntityManager): Promise<WebhookEndpoint> {
    const endpoint = await em.findOne(WebhookEndpoint, { id });
    if (!endpoint || (caller.role !== 'admin' && endpoint.merchantId !== caller.id)) throw new AppError('NOT_FOUND', 'Webhook endpoint not found');
    return endpoint;
  }

  private async owner(caller: Actor, requested: string | undefined): Promise<string> {
    if (caller.role !== 'admin') {
      if (requested && requested !== caller.id)
        throw AppError.validation([{ path: 'merchantId', message: 'Only an admin may register endpoints for another merchant' }]);
      return caller.id;
    }
    if (!requested) throw AppError.validation([{ path: 'merchantId', message: 'An admin must name the merchant' }]);
    if (!(await this.p.users.isMerchant(requested))) throw AppError.validation([{ path: 'merchantId', message: 'No such merchant' }]);
    return requested;
  }
}

function afterCursor(cursor: string): [string, string] {
  const [at, id] = decodeCursor(cursor, 2);
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at)) || !isUuid(id)) throw AppError.validation([{ path: 'cursor', message: 'Invalid cursor' }]);
  return [at, id];
}
