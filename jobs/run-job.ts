import { RequestContext } from '@mikro-orm/core';
import type { Job } from 'agenda';
import type { Container } from '../server/container.js';
import { logContext } from '../server/logger.js';
import type { JobDefinition } from './job-definition.js';

/** Wraps a handler: its own unit of work, a child logger with the job id, metrics and error capture. */
export function runJob(container: Container, definition: JobDefinition) {
  return async (job: Job<any>): Promise<void> => {
    const jobId = String(job.attrs._id);
    const log = container.deps.log.child({ jobId, job: definition.name });
    await logContext.run({ jobId, job: definition.name }, async () => {
      try {
        await RequestContext.create(container.deps.orm.em, () =>
          definition.handler(job.attrs.data ?? {}, { container, jobId, log, touch: () => job.touch() }),
        );
        container.metrics.jobRuns.inc({ job: definition.name, outcome: 'ok' });
      } catch (err) {
        container.metrics.jobRuns.inc({ job: definition.name, outcome: 'failed' });
        log.error({ err }, 'job failed');
        throw err; // Agenda records the failure and applies the definition's backoff
      }
    });
  };
}
