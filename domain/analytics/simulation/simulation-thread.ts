import { parentPort, workerData } from 'node:worker_threads';
import { simulate } from './simulation-engine.js';
import type { SimulationJob, ThreadMessage } from './simulation-runner.js';

// A worker thread's entry point: runs one simulation off the event loop, posting progress and the result.
const job = workerData as SimulationJob;
const post = (message: ThreadMessage) => parentPort!.postMessage(message);
const result = simulate(job.history, job.plan, { runs: job.runs, seed: job.seed, onProgress: (runsDone) => post({ type: 'progress', runsDone }) });
post({ type: 'done', result });
