import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './free-port.js';

const run = promisify(execFile);
const PG_ROOT = '/usr/lib/postgresql';
const TOOLS = ['initdb', 'pg_ctl', 'pg_basebackup'];

/** A PostgreSQL primary and its streaming standby, both started by the test on their own ports. */
export interface ReplicaPair {
  primaryUrl(database: string): string;
  replicaUrl(database: string): string;
  /** Runs SQL on the standby's `postgres` database (e.g. `select pg_wal_replay_pause()`). */
  onReplica<T extends pg.QueryResultRow>(text: string): Promise<T[]>;
  onPrimary<T extends pg.QueryResultRow>(text: string): Promise<T[]>;
  /** Stops both servers and removes their data directories. */
  stop(): Promise<void>;
}

/**
 * Why a replica pair cannot be made on this machine (no PostgreSQL binaries; running as root without
 * `runuser` or a `postgres` OS user, since initdb and postgres refuse to run as root), or undefined.
 */
export function replicaUnavailable(): string | undefined {
  if (!binDir()) return `no ${TOOLS.join('/')} under ${PG_ROOT}/*/bin`;
  if (process.getuid?.() === 0) {
    if (!existsSync('/usr/sbin/runuser') && !existsSync('/sbin/runuser')) return 'running as root and runuser is missing';
    if (!postgresUser()) return 'running as root and there is no postgres OS user to run initdb/pg_ctl as';
  }
  return undefined;
}

function binDir(): string | undefined {
  if (!existsSync(PG_ROOT)) return undefined;
  const versions = readdirSync(PG_ROOT)
    .filter((v) => TOOLS.every((t) => existsSync(join(PG_ROOT, v, 'bin', t))))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] && join(PG_ROOT, versions[0], 'bin');
}

function postgresUser(): { uid: number; gid: number } | undefined {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * initdb a small primary (trust auth; initdb's pg_hba already lets 127.0.0.1 connect for
 * replication), start it, `pg_basebackup -R -X stream` it into a standby, start that: a real
 * streaming replica. As root, every PostgreSQL tool runs as the postgres OS user (`runuser`).
 * The shared test server on 5432 is neither used nor changed. Call replicaUnavailable() first.
 */
export async function startReplicaPair(): Promise<ReplicaPair> {
  const bin = binDir()!;
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? postgresUser()! : undefined;
  const tool = (name: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, name), ...args], { timeout: 120_000 }) : run(join(bin, name), args, { timeout: 120_000 });
  const base = mkdtempSync(join(tmpdir(), 'larder-replica-'));
  if (owner) chownSync(base, owner.uid, owner.gid);
  const primaryDir = join(base, 'primary');
  const standbyDir = join(base, 'standby');
  const [primaryPort, standbyPort] = [await freePort(), await freePort()];
  const started: string[] = [];
  const stop = async () => {
    for (const dir of started.splice(0).reverse()) await tool('pg_ctl', ['-D', dir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    rmSync(base, { recursive: true, force: true });
  };
  const start = async (dir: string, port: number) => {
    // Settings on the command line: small, fast (no fsync: the data is thrown away), local only.
    const options = `-p ${port} -k ${base} -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=16MB -c max_connections=60`;
    await tool('pg_ctl', ['-D', dir, '-l', join(base, `${port}.log`), '-o', options, '-w', '-t', '60', 'start']);
    started.push(dir);
  };
  try {
    await tool('initdb', ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    appendFileSync(join(primaryDir, 'postgresql.conf'), '\nwal_level = replica\nmax_wal_senders = 4\nhot_standby = on\n');
    await start(primaryDir, primaryPort);
    await tool('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', standbyDir, '-R', '-X', 'stream', '--no-sync']);
    await start(standbyDir, standbyPort);
  } catch (err) {
    const logs = readdirSync(base)
      .filter((f) => f.endsWith('.log'))
      .map((f) => readFileSync(join(base, f), 'utf8').slice(-2_000));
    await stop();
    throw new Error(`could not start the replica pair: ${(err as Error).message}\n${logs.join('\n')}`);
  }
  const url = (port: number, database: string) => `postgresql://postgres@127.0.0.1:${port}/${database}`;
  const query = async <T extends pg.QueryResultRow>(port: number, text: string) => {
    const client = new pg.Client({ connectionString: url(port, 'postgres') });
    await client.connect();
    try {
      return (await client.query<T>(text)).rows;
    } finally {
      await client.end();
    }
  };
  return {
    primaryUrl: (database) => url(primaryPort, database),
    replicaUrl: (database) => url(standbyPort, database),
    onReplica: (text) => query(standbyPort, text),
    onPrimary: (text) => query(primaryPort, text),
    stop,
  };
}
