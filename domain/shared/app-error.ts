/**
 * Every error code a client can see (../shared/API.md, Conventions). How a transport answers each one
 * (an HTTP status, a socket ack) is the adapters' business: server/platform/error-status.ts.
 */
// biome-ignore format: a list of names, not one per line
export const ERROR_CODES = [
  'BAD_REQUEST', 'VALIDATION', 'UNAUTHENTICATED', 'INVALID_CREDENTIALS', 'TOKEN_REUSED', 'FORBIDDEN', 'NOT_FOUND',
  'CONFLICT', 'OUT_OF_STOCK', 'EMAIL_TAKEN', 'VERSION_CONFLICT', 'INVALID_TRANSITION', 'IDEMPOTENCY_MISMATCH',
  'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'RATE_LIMITED', 'PRICE_CHANGED', 'ORDERING_CLOSED',
  'TOO_MANY_CONNECTIONS', 'INTERNAL', 'UNAVAILABLE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Codes that are our fault or our infrastructure's, not the request's: a retry may succeed. */
const SERVER_FAULTS: ReadonlySet<ErrorCode> = new Set(['INTERNAL', 'UNAVAILABLE']);

export interface FieldError {
  path: string;
  message: string;
}

/** A domain failure with a client-visible code; `details` become extra members of the problem / ack. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  /** The request itself was refused (bad input, a rule, a conflict): the same request gets the same answer. */
  get isRefusal(): boolean {
    return !SERVER_FAULTS.has(this.code);
  }

  static validation(errors: FieldError[]): AppError {
    const first = errors[0];
    const message = first ? `${first.path || '(body)'}: ${first.message}` : 'Invalid input';
    return new AppError('VALIDATION', message, { errors });
  }
}
