/**
 * A tiny SQL builder: text with `?` placeholders plus their values, in the form MikroORM's
 * `em.execute(sql, params)` takes. Values never enter the text; fragments nest.
 */
export class Sql {
  constructor(
    readonly text: string,
    readonly params: readonly unknown[] = [],
  ) {}
}

/** Tagged template: interpolated Sql fragments are inlined, anything else becomes a `?` parameter. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  let text = strings[0];
  const params: unknown[] = [];
  values.forEach((value, i) => {
    if (value instanceof Sql) {
      text += value.text;
      params.push(...value.params);
    } else {
      text += '?';
      params.push(value);
    }
    text += strings[i + 1];
  });
  return new Sql(text, params);
}

/** Trusted SQL text (identifiers and keywords chosen by code, never by input). */
export function raw(text: string): Sql {
  return new Sql(text);
}

/** Joins fragments with a separator (e.g. ' and '); an empty list gives `empty`. */
export function join(parts: readonly Sql[], separator: string, empty = ''): Sql {
  if (parts.length === 0) return new Sql(empty);
  return new Sql(
    parts.map((p) => p.text).join(separator),
    parts.flatMap((p) => p.params),
  );
}

/** A text[] literal from values (MikroORM expands an array parameter into a comma list). */
export function textArray(values: readonly string[]): Sql {
  return values.length ? new Sql('array[?]::text[]', [values]) : new Sql(`'{}'::text[]`);
}

/** Escapes LIKE wildcards so user text matches literally (used with `escape '!'`). */
export function likeEscape(text: string): string {
  return text.replace(/[!%_]/g, (c) => `!${c}`);
}

/**
 * A text[] as ONE bound parameter (`?::text[]`), so the statement's text does not depend on how many
 * values there are (a prepared statement then serves every call). PostgreSQL array literal quoting.
 */
export function textArrayParam(values: readonly string[]): Sql {
  return new Sql('?::text[]', [`{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`]);
}
