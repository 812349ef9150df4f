import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestEnv } from './test-env.js';

const MAIN = fileURLToPath(new URL('../../server/app/main.ts', import.meta.url));

export interface ChildLarder {
  url: string;
  process: ChildProcess;
  /** Kills the process (SIGKILL by default: no graceful anything) and waits until it is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Runs a Larder instance of the test's world as a real child process (`npm start`'s entry point), so a
 * test can kill it at a chosen moment the way a crash or the OOM killer would.
 */
export async function startChildLarder(env: TestEnv, variables: Record<string, string> = {}): Promise<ChildLarder> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, ...env.variables({ LOG_LEVEL: 'info', ...variables }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = '';
    let stderr = '';
    // Generous: tsx compiles the sources at start, which takes long on a loaded 2-core machine.
    const timer = setTimeout(() => reject(new Error(`child Larder did not start within 90 s: ${stderr}`)), 90_000);
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (const line of buffered.split('\n').slice(0, -1)) {
        if (!line.includes('"larder started"')) continue;
        clearTimeout(timer);
        resolve(JSON.parse(line).port);
      }
      buffered = buffered.slice(buffered.lastIndexOf('\n') + 1);
    });
    child.once('exit', (code) => reject(new Error(`child Larder exited with ${code}: ${stderr}`)));
  });
  child.stdout!.resume();
  return {
    url: `http://127.0.0.1:${port}`,
    process: child,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
