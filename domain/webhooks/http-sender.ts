import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

export interface SendResult {
  status: number | null;
  durationMs: number;
  error: string | null;
}

/** How long a receiver has to answer, connect to last byte. */
export const DELIVERY_TIMEOUT_MS = 10_000;

/**
 * POSTs one delivery to the checked address (the URL's host name is kept for TLS and Host). Never
 * follows a redirect (a 3xx is a failed attempt: the receiver must answer itself); the response body
 * is not read beyond its end being drained.
 */
export function postJson(url: URL, address: { address: string; family: number }, headers: Record<string, string>, body: string): Promise<SendResult> {
  const started = performance.now();
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) (callback as (err: null, addresses: Array<{ address: string; family: number }>) => void)(null, [address]);
    else callback(null, address.address, address.family);
  };
  const options: RequestOptions = {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Larder-Webhooks/1', ...headers },
    lookup: pinned,
    agent: false,
    signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const done = (status: number | null, error: string | null) => resolve({ status, durationMs: Math.round(performance.now() - started), error });
    const req = send(url, options, (res) => {
      res.on('error', () => {});
      res.resume();
      res.on('end', () => done(res.statusCode ?? null, null));
      res.on('close', () => done(res.statusCode ?? null, res.complete ? null : 'response cut short'));
    });
    req.on('error', (err: Error) =>
      done(null, err.name === 'AbortError' || err.name === 'TimeoutError' ? `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s` : err.message),
    );
    req.end(body);
  });
}
