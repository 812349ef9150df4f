import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';

export interface SmsMessage {
  to: string;
  text: string;
}

/** Delivers text messages. Production plugs a provider in here; tests and development use the outbox. */
export interface SmsSender {
  send(message: SmsMessage): Promise<void>;
}

/**
 * The default sender: appends `{at, to, text}` JSON lines to an outbox file (never a silent no-op) and
 * logs that a message went out. The log line has neither the text nor the full number: the text is a
 * login code, and logs travel further than the outbox.
 */
export function createOutboxSmsSender(outboxFile: string, log: Logger): SmsSender {
  return {
    async send({ to, text }) {
      await mkdir(dirname(outboxFile), { recursive: true });
      await appendFile(outboxFile, `${JSON.stringify({ at: new Date().toISOString(), to, text })}\n`);
      log.info({ to: maskPhone(to), via: 'outbox' }, 'sms sent');
    },
  };
}

/** `+447911123456` → `+44******3456`. */
export function maskPhone(phone: string): string {
  return phone.length <= 7 ? '***' : phone.slice(0, 3) + '*'.repeat(phone.length - 7) + phone.slice(-4);
}
