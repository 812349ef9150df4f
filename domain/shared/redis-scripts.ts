import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

/** Reads `lua/<name>.lua` next to the calling module (`import.meta.url`); `npm run build` copies them. */
export function luaLoader(moduleUrl: string): (name: string) => string {
  return (name) => readFileSync(new URL(`./lua/${name}.lua`, moduleUrl), 'utf8');
}

/**
 * Defines Lua commands on a client once (ioredis EVALSHA with EVAL fallback) and returns the client
 * typed as those commands. Several modules may share a client, so existing names are kept. Without
 * `numberOfKeys`, callers pass the key count as the first argument.
 */
export function defineScripts<T>(redis: Redis, commands: Record<string, { numberOfKeys?: number; lua: string }>): T {
  for (const [name, definition] of Object.entries(commands)) {
    if (!(name in redis)) redis.defineCommand(name, definition);
  }
  return redis as unknown as T;
}

/** The client's key prefix: scripts that build keys from data (not KEYS[]) must add it themselves. */
export function keyPrefixOf(redis: Redis): string {
  return redis.options.keyPrefix ?? '';
}
