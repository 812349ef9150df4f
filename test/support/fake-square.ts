import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An order as Square's SearchOrders returns it (the fields the sync reads, and a few it ignores). */
export interface FakeOrder {
  id: string;
  location_id: string;
  state: 'COMPLETED';
  closed_at: string;
  line_items?: Array<Record<string, unknown>>;
  returns?: Array<Record<string, unknown>>;
}

/** A scripted answer for one upcoming request instead of the normal page. */
export type Fault = { status: number; retryAfter?: string; body?: unknown } | 'hang';

export interface SeenRequest {
  body: { location_ids: string[]; query: unknown; limit: number; cursor?: string };
  authorization: string | undefined;
  status: number;
  at: number;
}

/**
 * A local stand-in for Square's `POST /v2/orders/search`, strict where Square is: Bearer token, the
 * CLOSED_AT sort with a closed_at filter and a COMPLETED state filter, closed_at bounds inclusive,
 * ascending order, at most `limit` (and at most `pageSize`) orders a page, and a cursor that is valid
 * only with the identical query (location ids, query and limit). Tests script faults per request and
 * can hold a request open (`hang`) to kill the syncing process mid-page.
 */
export class FakeSquare {
  orders: FakeOrder[] = [];
  pageSize = 3;
  token = 'sq-valid-token';
  readonly requests: SeenRequest[] = [];
  /** Answers for the next requests, consumed one per request (null: the normal page). */
  faults: Array<Fault | null> = [];
  /** Every request answers this while set (an outage). */
  outage?: Exclude<Fault, 'hang'>;
  private hanging: ServerResponse[] = [];
  private hangListeners: Array<() => void> = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeSquare> {
    let fake: FakeSquare | undefined;
    const server = createServer((req, res) => void fake!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake = new FakeSquare(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return fake;
  }

  /** Resolves when a request is being held open by a `hang` fault. */
  untilHanging(): Promise<void> {
    if (this.hanging.length) return Promise.resolve();
    return new Promise((resolve) => this.hangListeners.push(resolve));
  }

  /** Drops the requests held open (their client is gone or must see a reset). */
  releaseHanging(): void {
    for (const res of this.hanging.splice(0)) res.destroy();
  }

  reset(): void {
    Object.assign(this, { orders: [], pageSize: 3, token: 'sq-valid-token', faults: [], outage: undefined });
    this.requests.length = 0;
    this.releaseHanging();
  }

  async close(): Promise<void> {
    this.releaseHanging();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    const seen: SeenRequest = { body, authorization: req.headers.authorization, status: 0, at: Date.now() };
    this.requests.push(seen);
    const answer = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      seen.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(payload));
    };
    if (req.method !== 'POST' || req.url !== '/v2/orders/search') return answer(404, error('NOT_FOUND', 'unknown endpoint'));
    if (req.headers.authorization !== `Bearer ${this.token}`) return answer(401, error('UNAUTHORIZED', 'This request could not be authorized.'));
    const fault: Fault | null | undefined = this.outage ?? this.faults.shift();
    if (fault === 'hang') {
      this.hanging.push(res);
      for (const listener of this.hangListeners.splice(0)) listener();
      return;
    }
    if (fault)
      return answer(fault.status, fault.body ?? error('SERVICE_UNAVAILABLE', 'try later'), fault.retryAfter ? { 'retry-after': fault.retryAfter } : {});
    const page = this.page(body);
    if ('problem' in page) return answer(400, error('BAD_REQUEST', page.problem));
    answer(200, page);
  }

  private page(body: SeenRequest['body']): { orders: FakeOrder[]; cursor?: string } | { problem: string } {
    const { location_ids, query, limit, cursor } = body;
    const q = query as {
      filter?: { state_filter?: { states?: string[] }; date_time_filter?: { closed_at?: { start_at: string; end_at: string } } };
      sort?: { sort_field?: string; sort_order?: string };
    };
    const range = q?.filter?.date_time_filter?.closed_at;
    if (q?.sort?.sort_field !== 'CLOSED_AT' || !range) return { problem: 'a closed_at filter needs sort_field CLOSED_AT' };
    if (!q.filter?.state_filter?.states?.includes('COMPLETED')) return { problem: 'sorting by CLOSED_AT needs a state filter with closed states' };
    if (!(limit >= 1 && limit <= 500)) return { problem: 'limit must be 1..500' };
    const signature = hash({ location_ids, query, limit });
    let offset = 0;
    if (cursor) {
      const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { signature: string; offset: number };
      if (decoded.signature !== signature) return { problem: 'INVALID_CURSOR: the cursor belongs to another query' };
      offset = decoded.offset;
    }
    const matching = this.orders
      .filter((o) => location_ids.includes(o.location_id) && o.closed_at >= range.start_at && o.closed_at <= range.end_at)
      .sort((a, b) => a.closed_at.localeCompare(b.closed_at));
    const size = Math.min(limit, this.pageSize);
    const next = offset + size;
    return {
      orders: matching.slice(offset, next),
      ...(next < matching.length ? { cursor: Buffer.from(JSON.stringify({ signature, offset: next })).toString('base64url') } : {}),
    };
  }
}

function hash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

function error(code: string, detail: string) {
  return { errors: [{ category: 'API_ERROR', code, detail }] };
}

/** A completed sale with priced line items (amounts in cents); closed `minutesAgo` before now. */
export function squareSale(
  id: string,
  minutesAgo: number,
  lines: Array<{ name: string; quantity: string; cents: number; modifiers?: Array<{ name: string; cents: number; quantity?: string }> }>,
): FakeOrder {
  return {
    ...completedOrder(id, minutesAgo),
    line_items: lines.map((l, i) => ({
      uid: `${id}-li${i}`,
      name: l.name,
      quantity: l.quantity,
      catalog_object_id: `CAT-${l.name.toUpperCase()}`,
      base_price_money: { amount: l.cents, currency: 'USD' },
      ...(l.modifiers
        ? {
            modifiers: l.modifiers.map((m, j) => ({
              uid: `${id}-m${j}`,
              name: m.name,
              quantity: m.quantity,
              base_price_money: { amount: m.cents, currency: 'USD' },
            })),
          }
        : {}),
    })),
  };
}

/** A return order (Square records refunds as these): the returned lines with their original prices. */
export function squareReturn(
  id: string,
  minutesAgo: number,
  sourceOrderId: string,
  lines: Array<{ name: string; quantity: string; cents: number }>,
): FakeOrder {
  return {
    ...completedOrder(id, minutesAgo),
    returns: [
      {
        uid: `${id}-r0`,
        source_order_id: sourceOrderId,
        return_line_items: lines.map((l, i) => ({
          uid: `${id}-rli${i}`,
          name: l.name,
          quantity: l.quantity,
          base_price_money: { amount: l.cents, currency: 'USD' },
        })),
      },
    ],
  };
}

function completedOrder(id: string, minutesAgo: number): FakeOrder {
  return { id, location_id: 'LOC1', state: 'COMPLETED', closed_at: new Date(Date.now() - minutesAgo * 60_000).toISOString() };
}
