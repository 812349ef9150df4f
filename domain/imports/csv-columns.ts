import { AppError, type FieldError } from '../shared/app-error.js';

/** The columns an import type understands. */
export interface ColumnSchema {
  /** Canonical column names (lower snake case). */
  known: readonly string[];
  /** Other spellings seen in real exports (normalised) → canonical name. */
  aliases: Readonly<Record<string, string>>;
  /** One column of each group must be present (the first one is named when none is). */
  required: readonly (readonly string[])[];
  /** Columns saying one thing two ways (`price` and `price_cents`): at most one of each group. */
  exclusive?: readonly (readonly string[])[];
  /** The type's own rules over the columns present (e.g. one of two file shapes, complete): what is wrong, by column. */
  check?(present: ReadonlySet<string>): FieldError[];
}

/** How a file's header maps to a type's columns (stored with the import, so a resumed run reads it the same way). */
export interface ColumnPlan {
  /** Per position in the file: the canonical column, or null when ignored. */
  columns: Array<string | null>;
  /** Header names ignored (as the file writes them). */
  ignored: string[];
}

/** "Price Cents", "priceCents", "price-cents" → "price_cents". */
export function normaliseColumnName(raw: string): string {
  return raw
    .replace(/^\uFEFF/, '')
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * Maps a header to the schema's columns. Refuses (422 VALIDATION naming the columns) a header that
 * misses a required column, gives one twice, gives two exclusive ones, or has columns the type does
 * not know, unless `ignoreUnknownColumns` (they are then listed in `ignored`). Blank names (a
 * trailing comma) are ignored.
 */
export function planColumns(schema: ColumnSchema, header: readonly string[], options: { ignoreUnknownColumns: boolean }): ColumnPlan {
  const known = new Set(schema.known);
  const columns: Array<string | null> = [];
  const ignored: string[] = [];
  const unknown: string[] = [];
  const seen = new Map<string, string>();
  const errors: FieldError[] = [];
  for (const raw of header) {
    const name = normaliseColumnName(raw);
    const canonical = schema.aliases[name] ?? name;
    if (name === '') {
      columns.push(null);
    } else if (!known.has(canonical)) {
      columns.push(null);
      (options.ignoreUnknownColumns ? ignored : unknown).push(raw.trim());
    } else if (seen.has(canonical)) {
      columns.push(null);
      errors.push({ path: `header.${canonical}`, message: `column "${canonical}" is given twice (as "${seen.get(canonical)}" and "${raw.trim()}")` });
    } else {
      columns.push(canonical);
      seen.set(canonical, raw.trim());
    }
  }
  const missing = schema.required.filter((group) => !group.some((c) => seen.has(c))).map((group) => group[0]);
  for (const c of missing) errors.push({ path: `header.${c}`, message: `required column "${c}" is missing` });
  if (schema.check) errors.push(...schema.check(new Set(seen.keys())));
  for (const group of schema.exclusive ?? []) {
    const given = group.filter((c) => seen.has(c));
    if (given.length > 1) errors.push({ path: `header.${given[1]}`, message: `give only one of the columns ${given.map((c) => `"${c}"`).join(', ')}` });
  }
  if (unknown.length) {
    errors.push({ path: 'header', message: `unknown column(s): ${unknown.join(', ')} (known: ${schema.known.join(', ')}; or pass ignoreUnknownColumns=true)` });
  }
  if (errors.length) {
    const message = errors.map((e) => e.message).join('; ');
    throw new AppError('VALIDATION', `The CSV header is not usable: ${message}`, { errors, missingColumns: missing, unknownColumns: unknown });
  }
  return { columns, ignored };
}

/** Canonical column → its position in the file. */
export function columnPositions(plan: ColumnPlan): Map<string, number> {
  const positions = new Map<string, number>();
  plan.columns.forEach((c, i) => {
    if (c !== null) positions.set(c, i);
  });
  return positions;
}
