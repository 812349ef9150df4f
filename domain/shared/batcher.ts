export interface BatcherOptions {
  /** A batch runs as soon as this many wait. */
  maxBatch: number;
  /** ...or this long after the first of them arrived, when a batch is already running. */
  maxWaitMs: number;
  /** Batches running at once; more wait (and grow) until one finishes. */
  maxInFlight: number;
}

interface Waiting<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (reason: unknown) => void;
}

/**
 * Group commit in one process: concurrent submissions queue briefly and `run` gets them together, in
 * arrival order, returning one settled result per item. With nothing running, the queue is flushed on
 * the next turn of the event loop (a lone request waits for nothing); while batches run, arrivals wait
 * at most `maxWaitMs` or until `maxBatch` of them queue. Two items with the same `keyOf` never share a
 * batch, nor run at once: the later one waits until the first's batch has ended, so it sees what that committed.
 */
export class Batcher<I, O> {
  private queue: Array<Waiting<I, O>> = [];
  private inFlight = 0;
  private scheduled = false;
  /** Keys of the items in running batches. */
  private readonly busy = new Set<string>();

  constructor(
    private readonly run: (items: I[]) => Promise<Array<PromiseSettledResult<O>>>,
    private readonly keyOf: (item: I) => string,
    private readonly options: BatcherOptions,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= this.options.maxBatch) this.flush();
      else this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const go = () => {
      this.scheduled = false;
      this.flush();
    };
    if (this.inFlight === 0) setImmediate(go);
    else setTimeout(go, this.options.maxWaitMs);
  }

  private flush(): void {
    while (this.queue.length > 0 && this.inFlight < this.options.maxInFlight) {
      const batch: Array<Waiting<I, O>> = [];
      const later: Array<Waiting<I, O>> = [];
      const keys = new Set<string>();
      for (const w of this.queue) {
        const key = this.keyOf(w.item);
        if (batch.length < this.options.maxBatch && !keys.has(key) && !this.busy.has(key)) {
          keys.add(key);
          batch.push(w);
        } else later.push(w);
      }
      if (batch.length === 0) return; // what waits repeats a running batch's keys: it goes when that one ends
      this.queue = later;
      for (const key of keys) this.busy.add(key);
      void this.execute(batch, keys);
    }
  }

  private async execute(batch: Array<Waiting<I, O>>, keys: Set<string>): Promise<void> {
    this.inFlight++;
    try {
      const results = await this.run(batch.map((w) => w.item));
      batch.forEach((w, i) => {
        const r = results[i];
        if (r.status === 'fulfilled') w.resolve(r.value);
        else w.reject(r.reason);
      });
    } catch (err) {
      for (const w of batch) w.reject(err);
    } finally {
      this.inFlight--;
      for (const key of keys) this.busy.delete(key);
      // Whoever queued meanwhile has waited already: they go now, together.
      this.flush();
    }
  }
}
