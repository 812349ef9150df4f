/**
 * Steps of a flow, each paired with its undo: when a later step fails, the undos of the steps already
 * done run newest first (a saga inside one request). An undo that fails is reported, never rethrown,
 * so the others still run and the original error is what the caller sees.
 */
export class Compensations {
  private readonly undos: Array<() => Promise<void>> = [];

  constructor(private readonly onUndoFailed: (err: unknown) => void) {}

  /** Runs `action`; if it succeeds, remembers `undo(result)` for `rollback()`. */
  async step<T>(action: () => Promise<T>, undo: (result: T) => Promise<void>): Promise<T> {
    const result = await action();
    this.undos.push(() => undo(result));
    return result;
  }

  /** Undoes every completed step, newest first. */
  async rollback(): Promise<void> {
    for (const undo of this.undos.splice(0).reverse()) {
      try {
        await undo();
      } catch (err) {
        this.onUndoFailed(err);
      }
    }
  }
}
