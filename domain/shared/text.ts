import { z } from 'zod';

// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly the character this refuses
const NO_NUL = /^[^\u0000]*$/;

/**
 * The one string schema for text a client sends (REST bodies, queries, socket payloads): a NUL
 * character cannot be stored in PostgreSQL text or jsonb, so it is refused at the edge with a 422
 * naming the field instead of failing in the database. Chain the usual checks after it:
 * `text().trim().min(1).max(100)`. Every request schema builds its strings on this (a test walks
 * /openapi.json and /asyncapi.json to make sure).
 */
export function text() {
  return z.string().regex(NO_NUL, 'must not contain NUL characters');
}
