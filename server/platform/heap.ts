/**
 * A full, compacting garbage collection, when the process was started with `--expose-gc` (the worker's
 * NODE_OPTIONS in docker-compose); otherwise nothing. Starting up (module loading, migrations, ORM
 * discovery) leaves a heap of ~190 MB with ~55 MB live, and V8 keeps it that size for minutes; a bulk
 * job then fills those pages again and the worker's resident size peaks ~100 MB higher than it needs.
 */
export function compactHeap(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
