import { Batcher } from '../../domain/shared/batcher.js';

interface Item {
  key: string;
  value: number;
}

/** A batcher whose batches are recorded and finish when the test says so. */
function recordingBatcher(options = { maxBatch: 3, maxWaitMs: 5, maxInFlight: 1 }) {
  const batches: Item[][] = [];
  const finish: Array<() => void> = [];
  const batcher = new Batcher<Item, number>(
    async (items) => {
      batches.push(items);
      await new Promise<void>((resolve) => finish.push(resolve));
      return items.map((i) =>
        i.value < 0 ? { status: 'rejected' as const, reason: new Error(`bad ${i.value}`) } : { status: 'fulfilled' as const, value: i.value * 10 },
      );
    },
    (i) => i.key,
    options,
  );
  const tick = () => new Promise((resolve) => setTimeout(resolve, 20));
  return { batcher, batches, finish, tick };
}

describe('Batcher (group commit in one process)', () => {
  test('When items arrive while a batch runs, then they wait and go together in arrival order, each with its own result', async () => {
    const { batcher, batches, finish, tick } = recordingBatcher();
    const first = batcher.submit({ key: 'a', value: 1 });
    await tick();
    expect(batches).toEqual([[{ key: 'a', value: 1 }]]); // alone: it waited for nothing
    const later = [2, -3, 4].map((value) => batcher.submit({ key: `k${value}`, value }).catch((err: Error) => err.message));
    await tick();
    expect(batches).toHaveLength(1); // one batch in flight at most
    finish[0]();
    expect(await first).toBe(10);
    await tick();
    expect(batches[1].map((i) => i.value)).toEqual([2, -3, 4]);
    finish[1]();
    expect(await Promise.all(later)).toEqual([20, 'bad -3', 40]);
  });

  test('When more than a batch waits, then batches hold at most maxBatch items', async () => {
    const { batcher, batches, finish, tick } = recordingBatcher({ maxBatch: 3, maxWaitMs: 5, maxInFlight: 2 });
    const all = Array.from({ length: 7 }, (_, i) => batcher.submit({ key: `k${i}`, value: i }));
    await tick();
    expect(batches.map((b) => b.length)).toEqual([3, 3]);
    finish[0]();
    await tick();
    expect(batches.map((b) => b.length)).toEqual([3, 3, 1]);
    finish[1]();
    finish[2]();
    expect(await Promise.all(all)).toEqual([0, 10, 20, 30, 40, 50, 60]);
  });

  test('When one key is submitted twice, then the second waits until the batch of the first has ended', async () => {
    const { batcher, batches, finish, tick } = recordingBatcher({ maxBatch: 10, maxWaitMs: 5, maxInFlight: 4 });
    const answers = [batcher.submit({ key: 'same', value: 1 }), batcher.submit({ key: 'other', value: 2 }), batcher.submit({ key: 'same', value: 3 })];
    await tick();
    expect(batches).toEqual([
      [
        { key: 'same', value: 1 },
        { key: 'other', value: 2 },
      ],
    ]);
    finish[0]();
    await tick();
    expect(batches[1]).toEqual([{ key: 'same', value: 3 }]);
    finish[1]();
    expect(await Promise.all(answers)).toEqual([10, 20, 30]);
  });
});
