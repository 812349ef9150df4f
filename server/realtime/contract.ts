import { z } from 'zod';
import { SimulationFinished, SimulationProgress, SimulationView, SimulationWatchInput } from '../../domain/analytics/index.js';
import { Cart, CartAddInput, CartRemoveInput, CartUpdateInput, EmptyInput, WatchInput } from '../../domain/cart/index.js';
import {
  DriverAvailabilityInput,
  DriverLocationInput,
  DriverStateOutput,
  OrderView,
  OrderWatchInput,
  PlaceOrderSocketInput,
} from '../../domain/orders/index.js';
import { CommentAddInput, CommentView, MissedComments, PostUnwatchInput, PostWatchInput } from '../../domain/community/index.js';
import { NotificationPush } from '../../domain/notifications/index.js';
import { ImportView, ImportWatchInput } from '../../domain/imports/index.js';
import { ERROR_CODES, type ErrorCode } from '../../domain/shared/app-error.js';
import { text } from '../../domain/shared/text.js';

/** A client → server event: what the client sends, what the ack's `data` carries. */
export interface ClientEventSpec {
  summary: string;
  input: z.ZodType;
  ack: z.ZodType;
}

/** A server → client push. */
export interface ServerEventSpec {
  summary: string;
  payload: z.ZodType;
}

const ProductId = z.uuid();
export const RenewInput = z.object({ token: text().min(1).max(4096) }).strict();

/**
 * The socket contract, client → server: every event a client may emit, with the zod schema its payload
 * is validated with and the schema of its ack data. Handlers are keyed by these names (handle.ts), the
 * tests' client and /asyncapi.json are generated from the same map.
 */
export const clientEvents = {
  'auth:renew': {
    summary: 'Extend the live socket with a fresh access token of the same user',
    input: RenewInput,
    ack: z.object({ expiresAt: z.iso.datetime() }),
  },
  'cart:get': { summary: "The caller's cart with current prices and expiry", input: EmptyInput, ack: Cart },
  'cart:add': { summary: 'Reserve more units of a product (OUT_OF_STOCK carries `available`)', input: CartAddInput, ack: Cart },
  'cart:update': { summary: "Set a line's quantity (0 removes it), reserving or releasing the difference", input: CartUpdateInput, ack: Cart },
  'cart:remove': { summary: 'Remove a line, releasing its units', input: CartRemoveInput, ack: Cart },
  'cart:clear': { summary: 'Release every line of the cart', input: EmptyInput, ack: Cart },
  'products:watch': {
    summary: 'Receive stock:changed for these products (≤ 500 a call, ≤ 2,000 per socket); the ack carries current availability',
    input: WatchInput,
    ack: z.object({ available: z.record(ProductId, z.number().int()) }),
  },
  'products:unwatch': { summary: 'Stop receiving stock:changed for these products', input: WatchInput, ack: z.null() },
  'order:place': {
    summary: 'Place an order (same semantics as POST /orders; a replayed idempotencyKey acks the first outcome)',
    input: PlaceOrderSocketInput,
    ack: OrderView,
  },
  'order:watch': {
    summary: "Receive the order's updates and its driver's position (customer, its merchants, its driver, admin)",
    input: OrderWatchInput,
    ack: OrderView,
  },
  'order:unwatch': { summary: "Stop receiving the order's updates", input: OrderWatchInput, ack: z.null() },
  'driver:availability': {
    summary: "Drivers: go on or off duty in a locality (defaults to the profile's)",
    input: DriverAvailabilityInput,
    ack: DriverStateOutput,
  },
  'driver:location': {
    summary: "Drivers: report the current position (streamed to the order's watchers while out for delivery)",
    input: DriverLocationInput,
    ack: z.null(),
  },
  'post:watch': {
    summary: "Receive a post's comment:added / comment:deleted; the ack carries the comments missed since sinceCommentId",
    input: PostWatchInput,
    ack: MissedComments,
  },
  'post:unwatch': { summary: "Stop receiving a post's comments", input: PostUnwatchInput, ack: z.null() },
  'comment:add': { summary: 'Comment on a post (same rules as POST /posts/:id/comments)', input: CommentAddInput, ack: CommentView },
  'simulation:watch': {
    summary: "Merchants: receive a simulation's progress and its end; the ack carries its current state (the result when already finished)",
    input: SimulationWatchInput,
    ack: SimulationView,
  },
  'simulation:unwatch': { summary: "Stop receiving the simulation's progress", input: SimulationWatchInput, ack: z.null() },
  'import:watch': {
    summary:
      'Receive import:progress (≥ 2 per second, from the upload on) and import:finished for an import or a purge; the ack is its current state, ' +
      'or null when a merchant watches the id it passes to POST /imports?importId= before the upload has begun (the pushes start with the upload)',
    input: ImportWatchInput,
    ack: ImportView.nullable(),
  },
  'import:unwatch': { summary: "Stop receiving the import's progress", input: ImportWatchInput, ack: z.null() },
} as const satisfies Record<string, ClientEventSpec>;

const OrderPush = z.object({ order: OrderView });
const Line = z.object({ productId: ProductId, quantity: z.number().int() });

/** The socket contract, server → client: every push a client may receive. */
export const serverEvents = {
  'auth:expired': {
    summary: 'Sent just before the server disconnects a socket whose access token expired without auth:renew',
    payload: z.object({ message: z.string() }),
  },
  'stock:changed': {
    summary: 'Availability of a watched product (≤ ~10 per second per product; the last one always carries the current value)',
    payload: z.object({ productId: ProductId, available: z.number().int() }),
  },
  'cart:expired': { summary: "The cart's reservations were released because it expired", payload: z.object({ items: z.array(Line) }) },
  'cart:updated': {
    summary: 'A price in the cart changed, or a product in it stopped being for sale: the cart as it now is (check out with its totalCents)',
    payload: z.object({ cart: Cart }),
  },
  'order:updated': { summary: "An order changed: to its customer, its merchants, its driver and the order's watchers", payload: OrderPush },
  'delivery:assigned': {
    summary: 'To the driver an order was assigned to',
    payload: z.object({ order: OrderView, distanceM: z.number().int(), etaSeconds: z.number().int() }),
  },
  'order:driver-location': {
    summary: "The driver's position, to the order's watchers while it is out for delivery",
    payload: z.object({ orderId: z.uuid(), lat: z.number(), lng: z.number(), at: z.iso.datetime() }),
  },
  'comment:added': { summary: "A new (or restored) comment, to the post's watchers on every instance", payload: z.object({ comment: CommentView }) },
  'comment:deleted': {
    summary: "A comment was deleted or hidden, to the post's watchers on every instance",
    payload: z.object({ commentId: z.uuid(), postId: z.uuid() }),
  },
  'upload:progress': {
    summary: "A photo upload's bytes so far, to the uploader's sockets (≤ 10 a second, and once at the end)",
    payload: z.object({ uploadId: z.string(), bytesReceived: z.number().int(), bytesTotal: z.number().int().nullable() }),
  },
  notification: {
    summary: 'A new notification, to every socket of its user on any instance (also listed by GET /notifications)',
    payload: NotificationPush,
  },
  'simulation:progress': {
    summary: "A watched simulation's runs done, several times a second while it runs (from whichever worker runs it)",
    payload: SimulationProgress,
  },
  'simulation:finished': {
    summary: 'A watched simulation ended: completed (with its result), failed or cancelled',
    payload: SimulationFinished,
  },
  'import:progress': {
    summary: "An import's (or a purge's) state, at least twice a second while it runs, to its watchers on any instance",
    payload: ImportView,
  },
  'import:finished': { summary: 'Once, when an import or a purge ends (completed, failed or cancelled)', payload: ImportView },
} as const satisfies Record<string, ServerEventSpec>;

/** The `error` of a refused ack: the same codes as REST problems, with details as extra members. */
export const AckErrorSchema = z.looseObject({ code: z.enum(ERROR_CODES), message: z.string() });

type ClientEvents = typeof clientEvents;
type ServerEvents = typeof serverEvents;
export type ClientEventName = keyof ClientEvents;
export type ServerEventName = keyof ServerEvents;
/** What a client sends with `event` (before defaults apply). */
export type EventInput<E extends ClientEventName> = z.input<ClientEvents[E]['input']>;
/** What the handler of `event` receives (validated, defaults applied). */
export type EventArgs<E extends ClientEventName> = z.output<ClientEvents[E]['input']>;
/** What the ack of `event` carries as `data`. */
export type AckData<E extends ClientEventName> = z.output<ClientEvents[E]['ack']>;
export type ServerPayload<E extends ServerEventName> = z.output<ServerEvents[E]['payload']>;

export interface AckError {
  code: ErrorCode;
  message: string;
  [extra: string]: unknown;
}
export type Ack<T> = { ok: true; data: T } | { ok: false; error: AckError };

export type ClientToServerEvents = { [E in ClientEventName]: (payload: EventInput<E>, ack: (response: Ack<AckData<E>>) => void) => void };
export type ServerToClientEvents = { [E in ServerEventName]: (payload: ServerPayload<E>) => void };
