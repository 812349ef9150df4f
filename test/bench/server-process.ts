import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface ServerProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STOP_GRACE_MS = 20_000;

/**
 * How a Larder process is started: `tsx` compiles the TypeScript sources at start (as `npm start`),
 * `compiled` runs the JavaScript of `npm run build` (dist/, as the Docker image does; build it first).
 */
export type Entry = 'tsx' | 'compiled';

function entryArgs(entry: Entry): string[] {
  return entry === 'compiled' ? ['dist/server/app/main.js'] : ['--import', 'tsx', 'server/app/main.ts'];
}

/** A port nobody listens on right now (the OS picks it), so parallel benches do not collide. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Starts Larder as its own process (as in production), so the load generator in this process does
 * not share an event loop with the server it measures. Waits for /readyz. `stop()` sends SIGTERM
 * (graceful shutdown) and resolves when the process has exited, killing it if it hangs.
 */
export async function startServerProcess(env: Record<string, string>, entry: Entry = 'tsx'): Promise<ServerProcess> {
  const port = env.PORT ?? String(await freePort());
  // BENCH_SERVER_NODE_FLAGS profiles the measured server alone, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const flags = process.env.BENCH_SERVER_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? [];
  const child: ChildProcess = spawn(process.execPath, [...flags, ...entryArgs(entry)], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: port },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error('server did not become ready');
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, pid: child.pid!, stop };
}

/**
 * Starts a worker-only Larder process (no HTTP to poll): resolves once it logs "larder started".
 * `stop()` sends SIGTERM and waits for the exit.
 */
export async function startWorkerProcess(
  env: Record<string, string>,
  { entry = 'tsx', nodeFlags = [] }: { entry?: Entry; nodeFlags?: string[] } = {},
): Promise<{ pid: number; stop(): Promise<void> }> {
  // BENCH_WORKER_NODE_FLAGS: Node/V8 flags of the worker alone (instead of `nodeFlags`), e.g. "--max-semi-space-size=16".
  const flags = process.env.BENCH_WORKER_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? nodeFlags;
  const child: ChildProcess = spawn(process.execPath, [...flags, ...entryArgs(entry)], {
    cwd: ROOT,
    env: { ...process.env, ...env, PROCESS_ROLE: 'worker', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error('worker did not start within 60 s')), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      if (buffered.includes('"larder started"')) {
        clearTimeout(timer);
        resolve();
      }
      buffered = buffered.slice(-200);
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });
  return {
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Several server processes behind one database and one Redis (a scaled-out deployment). */
export interface ServerGroup {
  instances: ServerProcess[];
  /** The adapter the instances run (SOCKET_ADAPTER). */
  adapter: 'classic' | 'sharded';
  stop(): Promise<void>;
}

/** Starts `count` server processes one after another (the first one migrates), each on its own port. */
export async function startServerGroup(
  env: Record<string, string>,
  count: number,
  adapter: ServerGroup['adapter'],
  entry: Entry = 'tsx',
): Promise<ServerGroup> {
  const instances: ServerProcess[] = [];
  const stop = async () => {
    await Promise.all(instances.map((s) => s.stop()));
  };
  try {
    for (let i = 0; i < count; i++) instances.push(await startServerProcess({ ...env, SOCKET_ADAPTER: adapter }, entry));
  } catch (err) {
    await stop();
    throw err;
  }
  return { instances, adapter, stop };
}

/** Every instance's pid under a name for cpuMeters: `server` alone, or `server1`, `server2`, … */
export function serverPids(group: ServerGroup): Record<string, number> {
  if (group.instances.length === 1) return { server: group.instances[0].pid };
  return Object.fromEntries(group.instances.map((s, i) => [`server${i + 1}`, s.pid]));
}

/** `npm run build`: the compiled JavaScript the Docker image runs (dist/), fresh from the sources. */
export async function buildDist(): Promise<void> {
  const child = spawn('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`npm run build exited with ${code}`);
}
