import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import type { PushProvider } from './push-provider.js';

/**
 * Development and test sender: appends `{at, platform, token, title, body, data}` JSON lines to a file
 * (never a silent no-op), like the SMS and mail outboxes.
 */
export function createOutboxPushProvider(
  platform: string,
  outboxFile: string,
  log: Logger,
  invalidToken: PushProvider['invalidToken'] = () => null,
): PushProvider {
  return {
    name: `outbox:${platform}`,
    async send(token, message) {
      await mkdir(dirname(outboxFile), { recursive: true });
      await appendFile(outboxFile, `${JSON.stringify({ at: new Date().toISOString(), platform, token, ...message })}\n`);
      log.info({ platform, via: 'outbox' }, 'push sent');
      return 'sent';
    },
    invalidToken,
  };
}
