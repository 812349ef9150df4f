import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';

const run = promisify(execFile);

/** A throwaway Redis Cluster of three masters on free ports, started by the test. */
export interface RedisCluster {
  /** `redis://127.0.0.1:<port>` of every node. */
  urls: string[];
  /** Runs a command on every node (e.g. PUBSUB SHARDCHANNELS) and returns each node's answer. */
  onEachNode<T>(command: string, ...args: string[]): Promise<T[]>;
  stop(): Promise<void>;
}

/** Why a Redis Cluster cannot be started here (no redis-server/redis-cli ≥ 7), or undefined. */
export function redisClusterUnavailable(): string | undefined {
  for (const tool of ['redis-server', 'redis-cli']) {
    const r = spawnSync(tool, ['--version'], { encoding: 'utf8' });
    if (r.error) return `${tool} is not installed`;
    const major = Number(/v=(\d+)|redis-cli (\d+)/.exec(r.stdout)?.slice(1).find(Boolean));
    if (!(major >= 7)) return `${tool} is older than 7 (sharded pub/sub)`;
  }
  return undefined;
}

/** Starts three cluster-enabled redis-server processes, joins them with `redis-cli --cluster create`, waits for cluster_state:ok. */
export async function startRedisCluster(): Promise<RedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'larder-redis-cluster-'));
  const ports = [await freePort(), await freePort(), await freePort()];
  const children: ChildProcess[] = ports.map((port) =>
    spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { stdio: 'ignore' },
    ),
  );
  const urls = ports.map((port) => `redis://127.0.0.1:${port}`);
  const onEachNode = async <T>(command: string, ...args: string[]) =>
    Promise.all(
      ports.map(async (port) => {
        const node = new Redis({ port, host: '127.0.0.1', lazyConnect: true });
        try {
          await node.connect();
          return (await node.call(command, ...args)) as T;
        } finally {
          node.disconnect();
        }
      }),
    );
  const stop = async () => {
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        await once(child, 'exit');
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) {
      for (let i = 0; ; i++) {
        try {
          await run('redis-cli', ['-p', String(port), 'ping']);
          break;
        } catch (err) {
          if (i > 100) throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    }
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], { timeout: 30_000 });
    for (let i = 0; ; i++) {
      const infos = await onEachNode<string>('CLUSTER', 'INFO');
      if (infos.every((info) => info.includes('cluster_state:ok'))) break;
      if (i > 100) throw new Error('the Redis Cluster did not reach cluster_state:ok');
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { urls, onEachNode, stop };
}
