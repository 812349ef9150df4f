import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Socket } from 'socket.io-client';
import { closeAll, connect, connectMany, cpuMeters, pause, SERVER_NODE_FLAGS, signTokens, type BenchUser } from './bench-support.js';
import { fmt, percentile } from './stats.js';
import type { ServerProcess } from './server-process.js';

export interface FanOutConfig {
  watchers: number;
  commentsPerSecond: number;
  seconds: number;
}

type Ack = { ok: boolean; error?: { code: string } };

/** Sends `count` things at a fixed rate, one call per tick (no waiting for answers). */
async function atRate(perSecond: number, count: number, send: (i: number) => void): Promise<void> {
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const wait = started + (i * 1000) / perSecond - performance.now();
    if (wait > 0) await pause(wait);
    send(i);
  }
}

/** Delivery latencies: each comment's body is `c<i>`; latency = receive time − send time of comment i. */
function listen(sockets: Socket[], event: string, bodyOf: (payload: any) => string, sentAt: number[]): { latencies: number[]; unmatched: number } {
  const result = { latencies: [] as number[], unmatched: 0 };
  for (const socket of sockets) {
    socket.on(event, (payload: unknown) => {
      const i = Number(bodyOf(payload).slice(1));
      if (Number.isInteger(i) && sentAt[i] !== undefined) result.latencies.push(performance.now() - sentAt[i]);
      else result.unmatched++;
    });
  }
  return result;
}

/**
 * One post, `watchers` sockets watching it, comments sent over `comment:add` at a fixed rate by a pool
 * of commenters (each stays under the 10 a minute limit). Delivery latency is from the send to each
 * watcher's `comment:added`. Baseline: a bare Socket.IO server (no adapter, no auth, no database)
 * broadcasting the same payload to as many clients at the same rate, timed from the request.
 */
export async function measureCommentFanOut(server: ServerProcess, jwtSecret: string, users: BenchUser[], postId: string, cfg: FanOutConfig): Promise<void> {
  const total = cfg.commentsPerSecond * cfg.seconds;
  const commenterCount = Math.ceil(total / 9);
  const tokens = await signTokens(jwtSecret, users.slice(0, cfg.watchers + commenterCount));
  const watchers = await connectMany(cfg.watchers, (i) => connect(server.url, { token: tokens[i] }));
  const commenters = await connectMany(commenterCount, (i) => connect(server.url, { token: tokens[cfg.watchers + i] }));
  try {
    for (let i = 0; i < watchers.length; i += 500) {
      const acks = await Promise.all(watchers.slice(i, i + 500).map((s) => s.timeout(30_000).emitWithAck('post:watch', { postId }) as Promise<Ack>));
      if (acks.some((a) => !a.ok)) throw new Error('post:watch refused');
    }
    const sentAt: number[] = [];
    const received = listen(watchers, 'comment:added', (p) => p.comment.body, sentAt);
    const refused = new Map<string, number>();
    const refuse = (code: string) => refused.set(code, (refused.get(code) ?? 0) + 1);
    const acked: number[] = [];
    const cpu = cpuMeters({ server: server.pid });
    await atRate(cfg.commentsPerSecond, total, (i) => {
      sentAt[i] = performance.now();
      (commenters[i % commenterCount].timeout(10_000).emitWithAck('comment:add', { postId, body: `c${i}` }) as Promise<Ack>).then(
        (a) => {
          acked.push(performance.now() - sentAt[i]);
          if (!a.ok) refuse(a.error?.code ?? '?');
        },
        () => void refuse('ack timeout'),
      );
    });
    await pause(2_000);
    const used = cpu();
    // Read once, before the baseline runs: deliveries arriving later do not count.
    const latencies = [...received.latencies];
    closeAll([...watchers, ...commenters]);
    const refusedCount = [...refused.values()].reduce((a, b) => a + b, 0);
    const expected = (total - refusedCount) * cfg.watchers;
    const p99 = percentile(latencies, 99);
    console.log(`\n[comment fan-out: 1 post, ${cfg.watchers} watchers, ${cfg.commentsPerSecond} comments/s for ${cfg.seconds} s]`);
    console.log(
      `Larder: ${latencies.length} of ${expected} deliveries within 2 s of the last send (comments refused: ${refusedCount ? [...refused].map(([c, n]) => `${c} ${n}`).join(', ') : 'none'}), ` +
        `delivery p50 ${fmt(percentile(latencies, 50))} ms, p95 ${fmt(percentile(latencies, 95))} ms, p99 ${fmt(p99)} ms; server CPU ${fmt(used.server)}% of a core, load generator ${fmt(used.generator)}%; ` +
        `comment:add ack p50 ${fmt(percentile(acked, 50))} ms, p99 ${fmt(percentile(acked, 99))} ms (${acked.length} acks)`,
    );
    const bare = await bareFanOut(cfg);
    console.log(
      `bare Socket.IO broadcast: delivery p99 ${fmt(bare.p99)} ms (${bare.deliveries} of ${cfg.commentsPerSecond * cfg.seconds * cfg.watchers} deliveries)`,
    );
    console.log(`target delivery p99 ≤ 100 ms: ${fmt(p99)} ms ${p99 <= 100 && latencies.length === expected ? 'MET' : 'MISSED'}`);
  } finally {
    closeAll([...watchers, ...commenters]);
  }
}

async function bareFanOut(cfg: FanOutConfig): Promise<{ p99: number; deliveries: number }> {
  const child = fork(fileURLToPath(new URL('./bare-broadcast-server.ts', import.meta.url)), [], {
    execArgv: [...SERVER_NODE_FLAGS, '--import', 'tsx'],
    stdio: 'inherit',
  });
  try {
    const [ready] = (await once(child, 'message')) as [{ type: string; port: number }];
    const sockets = await connectMany(cfg.watchers, () => connect(`http://127.0.0.1:${ready.port}`, { room: 'post' }));
    try {
      const sentAt: number[] = [];
      const received = listen(sockets, 'comment:added', (p) => p.comment.body, sentAt);
      await atRate(cfg.commentsPerSecond, cfg.commentsPerSecond * cfg.seconds, (i) => {
        sentAt[i] = performance.now();
        const comment = {
          id: '00000000-0000-4000-8000-000000000000',
          postId: 'p',
          authorId: 'a',
          authorName: 'Bench',
          body: `c${i}`,
          createdAt: new Date().toISOString(),
        };
        child.send({ type: 'emit', room: 'post', event: 'comment:added', payload: { comment } });
      });
      await pause(2_000);
      return { p99: percentile(received.latencies, 99), deliveries: received.latencies.length };
    } finally {
      closeAll(sockets);
    }
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}
