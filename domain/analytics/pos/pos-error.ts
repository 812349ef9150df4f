import type { PosFailureReason } from '../analytics.events.js';

/** A POS call that failed for good (after its retries), with a reason from the fixed set. */
export class PosError extends Error {
  constructor(
    readonly reason: PosFailureReason,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'PosError';
  }
}

/** The page was committed by a newer run (or the connection was replaced): this run stops quietly. */
export class SyncSuperseded extends Error {
  constructor() {
    super('Superseded by a newer sync of the same connection');
    this.name = 'SyncSuperseded';
  }
}
