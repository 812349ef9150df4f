/** Every error code a client can see, with the HTTP status it maps to (../shared/API.md, Conventions). */
export const ErrorStatus = {
  BAD_REQUEST: 400,
  VALIDATION: 422,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  TOKEN_REUSED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  OUT_OF_STOCK: 409,
  EMAIL_TAKEN: 409,
  VERSION_CONFLICT: 409,
  INVALID_TRANSITION: 409,
  IDEMPOTENCY_MISMATCH: 422,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ErrorStatus;

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

  get status(): number {
    return ErrorStatus[this.code];
  }

  /** 4xx errors are the client's to see; anything else is answered generically. */
  get expose(): boolean {
    return this.status < 500 || this.code === 'UNAVAILABLE';
  }

  static validation(errors: FieldError[]): AppError {
    const first = errors[0];
    const message = first ? `${first.path || '(body)'}: ${first.message}` : 'Invalid input';
    return new AppError('VALIDATION', message, { errors });
  }
}
