import { RequestContext } from '@mikro-orm/core';
import type { Job } from 'agenda';
import type { AppContext } from '../server/platform/app-context.js';
import { logContext } from '../server/platform/logger.js';
import type { AnyJobDefinition, JobContext } from './job-definition.js';

/** Wraps a handler: its own unit of work, a child logger with the job id, metrics and error capture. */
export function runJob(context: AppContext, definition: AnyJobDefinition) {
  const { orm, metrics, modules } = context;
  const handle = definition.handler as (data: unknown, ctx: JobContext) => Promise<void>;
  return async (job: Job<Record<string, unknown>>): Promise<void> => {
    const jobId = String(job.attrs._id);
    const log = context.log.child({ jobId, job: definition.name });
    await logContext.run({ jobId, job: definition.name }, async () => {
      try {
        await RequestContext.create(orm.em, () => handle(job.attrs.data ?? {}, { modules, jobId, log, metrics, touch: () => job.touch() }));
        metrics.jobRuns.inc({ job: definition.name, outcome: 'ok' });
      } catch (err) {
        metrics.jobRuns.inc({ job: definition.name, outcome: 'failed' });
        log.error({ err }, 'job failed');
        throw err; // Agenda records the failure and applies the definition's backoff
      }
    });
  };
}
