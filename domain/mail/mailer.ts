import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';

/** One e-mail. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/** Sends e-mail. SMTP when configured; otherwise an outbox file of JSON lines (never a silent no-op). */
export interface Mailer {
  send(message: MailMessage): Promise<{ messageId: string }>;
  close(): void;
}

export function createMailer(options: { smtpUrl?: string; from: string; outboxFile: string; log: Logger }): Mailer {
  const { smtpUrl, from, outboxFile, log } = options;
  const transport: Transporter = smtpUrl ? nodemailer.createTransport(smtpUrl) : nodemailer.createTransport({ jsonTransport: true });
  return {
    async send(message) {
      const info = await transport.sendMail({ from, ...message });
      if (!smtpUrl) {
        await mkdir(dirname(outboxFile), { recursive: true });
        const line = JSON.stringify({ at: new Date().toISOString(), messageId: info.messageId, from, ...message });
        await appendFile(outboxFile, `${line}\n`);
      }
      log.info({ to: message.to, subject: message.subject, messageId: info.messageId, via: smtpUrl ? 'smtp' : 'outbox' }, 'mail sent');
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}
