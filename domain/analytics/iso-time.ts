/** An instant as the API writes it (ISO 8601, UTC), or null. */
export function isoOrNull(at: Date | string | null | undefined): string | null {
  return at ? new Date(at).toISOString() : null;
}
