import type { MailMessage } from './mailer.js';

declare module '../shared/job-queue.js' {
  interface JobPayloads {
    'mail.send': MailMessage;
  }
}
