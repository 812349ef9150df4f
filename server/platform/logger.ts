import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type Logger } from 'pino';

/** Per-entry-point log context (reqId, socketId, jobId) carried across awaits. */
export const logContext = new AsyncLocalStorage<Record<string, string>>();

// biome-ignore format: a list of paths, not one per line
const REDACT = [
  'password', '*.password', 'token', '*.token', 'accessToken', '*.accessToken', 'refreshToken', '*.refreshToken',
  'req.headers.authorization', 'req.headers.cookie', 'secret', '*.secret',
];

/** Structured JSON logs; every line carries the ids of the request/socket/job it belongs to. */
export function createLogger(level: string, name = 'larder'): Logger {
  return pino({
    name,
    level,
    redact: { paths: REDACT, censor: '[redacted]' },
    mixin: () => logContext.getStore() ?? {},
  });
}
