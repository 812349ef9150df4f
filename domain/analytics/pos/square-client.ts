import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.js';
import { PosError } from './pos-error.js';
import { parseRetryAfter, retryDelayMs, type RetryPolicy } from './retry-policy.js';
import { SearchOrdersResponse } from './square-orders.js';

/** The Square API version the mapping was written against. */
const SQUARE_VERSION = '2025-01-23';
const REQUEST_TIMEOUT_MS = 30_000;

/** The body of `POST /v2/orders/search`: every page of one query repeats `query` exactly, only `cursor` changes. */
export interface SearchOrdersRequest {
  location_ids: string[];
  query: {
    filter: { state_filter: { states: ['COMPLETED'] }; date_time_filter: { closed_at: { start_at: string; end_at: string } } };
    sort: { sort_field: 'CLOSED_AT'; sort_order: 'ASC' };
  };
  limit: number;
  cursor?: string;
}

export interface SquareConnection {
  baseUrl: string;
  accessToken: string;
}

type Attempt = { done: true; page: SearchOrdersResponse } | { done: false; error: PosError; retryAfterMs?: number };

/**
 * Square's Orders API over fetch. Each call is retried on 429, 5xx and network errors with exponential
 * backoff and jitter (at least the Retry-After asked for); 401/403 and other refusals fail at once.
 */
export class SquareClient {
  constructor(
    private readonly policy: RetryPolicy,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  async searchOrders(connection: SquareConnection, body: SearchOrdersRequest): Promise<SearchOrdersResponse> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(connection, body);
      if (outcome.done) return outcome.page;
      const retryable = outcome.error.reason === 'rate_limited' || outcome.error.reason === 'upstream_error' || outcome.error.reason === 'network';
      if (!retryable || attempt >= this.policy.attempts) throw outcome.error;
      if ((outcome.retryAfterMs ?? 0) > this.policy.maxRetryAfterMs) throw outcome.error;
      const wait = retryDelayMs(this.policy, attempt, outcome.retryAfterMs);
      this.log.warn({ attempt, wait, reason: outcome.error.reason, status: outcome.error.status }, 'square call failed; retrying');
      await sleep(wait);
    }
  }

  private async attempt(connection: SquareConnection, body: SearchOrdersRequest): Promise<Attempt> {
    let res: Response;
    try {
      res = await fetch(new URL('/v2/orders/search', connection.baseUrl), {
        method: 'POST',
        headers: { authorization: `Bearer ${connection.accessToken}`, 'content-type': 'application/json', 'square-version': SQUARE_VERSION },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (err) {
      return { done: false, error: new PosError('network', `Square unreachable: ${(err as Error).message}`) };
    }
    const text = await res.text().catch(() => '');
    if (res.ok) return this.parse(text, res.status);
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), this.clock.now());
    return { done: false, error: new PosError(reasonOf(res.status), `Square answered ${res.status}: ${squareErrorDetail(text)}`, res.status), retryAfterMs };
  }

  private parse(text: string, status: number): Attempt {
    try {
      const parsed = SearchOrdersResponse.safeParse(JSON.parse(text));
      if (parsed.success) return { done: true, page: parsed.data };
      return { done: false, error: new PosError('bad_response', `Square answered an unexpected body: ${parsed.error.issues[0]?.message}`, status) };
    } catch {
      return { done: false, error: new PosError('bad_response', 'Square answered a body that is not JSON', status) };
    }
  }
}

function reasonOf(status: number): PosError['reason'] {
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'upstream_error';
  return 'bad_response';
}

/** Square's first error detail (never the request or the token), clipped for the connection's last error. */
function squareErrorDetail(text: string): string {
  try {
    const first = (JSON.parse(text) as { errors?: Array<{ code?: string; detail?: string }> }).errors?.[0];
    if (first) return `${first.code ?? 'ERROR'} ${first.detail ?? ''}`.trim().slice(0, 300);
  } catch {
    // not JSON: fall through
  }
  return text.slice(0, 120) || 'no details';
}
