import type { AnyJobDefinition } from './job-definition.js';

/**
 * The definitions a worker runs, from WORKER_JOBS: job names (`imports.run`) or module prefixes
 * (`imports.*`); empty = every job. A pattern matching no job is a configuration error, so a typo
 * cannot leave a queue without a worker silently.
 */
export function selectJobs(definitions: AnyJobDefinition[], patterns: string[]): AnyJobDefinition[] {
  if (patterns.length === 0) return definitions;
  const matches = (pattern: string, name: string) => (pattern.endsWith('.*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern);
  const unknown = patterns.filter((p) => !definitions.some((d) => matches(p, d.name)));
  if (unknown.length) {
    throw new Error(`WORKER_JOBS: ${unknown.join(', ')} match no job; jobs are ${definitions.map((d) => d.name).join(', ')}`);
  }
  return definitions.filter((d) => patterns.some((p) => matches(p, d.name)));
}
