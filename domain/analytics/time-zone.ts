const known = new Map<string, boolean>();

/** Whether `name` is an IANA time zone this runtime knows (PostgreSQL reads the same tz database names). */
export function isTimeZone(name: string): boolean {
  let ok = known.get(name);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: name });
      ok = /^[A-Za-z0-9_+\-/]+$/.test(name);
    } catch {
      ok = false;
    }
    if (known.size < 1000) known.set(name, ok);
  }
  return ok;
}
