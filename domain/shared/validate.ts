import type { z } from 'zod';
import { AppError, type FieldError } from './app-error.js';

/** Turns zod issues into the `errors` list of a VALIDATION problem, naming each field by its dotted path. */
export function toFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => {
    const base = issue.path.map(String).join('.');
    // zod reports unknown keys on the parent object; name the offending keys themselves.
    if (issue.code === 'unrecognized_keys') {
      const keys = (issue as { keys: string[] }).keys;
      return { path: keys.map((k) => (base ? `${base}.${k}` : k)).join(','), message: `Unknown field(s): ${keys.join(', ')}` };
    }
    return { path: base, message: issue.message };
  });
}

/** Parses input with a schema or throws AppError VALIDATION naming every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw AppError.validation(toFieldErrors(result.error));
  return result.data;
}
