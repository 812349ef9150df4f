import type { Logger } from 'pino';
import type { SmsSender, UserContact } from '../../identity/index.js';
import type { JobQueue } from '../../shared/job-queue.js';
import type { Devices } from '../devices.js';
import type { PushProviders } from '../push/push-provider.js';

export const CHANNELS = ['email', 'sms', 'push'] as const;
export type Channel = (typeof CHANNELS)[number];

/** A notification due on one channel. */
export interface DueDelivery {
  notificationId: string;
  channel: Channel;
  userId: string;
  attempts: number;
  type: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
}

export interface ChannelSenderDeps {
  jobs: JobQueue;
  sms: SmsSender;
  devices: Pick<Devices, 'ofUser' | 'forget'>;
  push: PushProviders;
  log: Logger;
}

/**
 * Sends one notification on one channel: e-mail through the mail job (which retries on its own),
 * SMS through identity's SMS sender, push to each of the user's devices. `skipped` when the user has
 * no address for the channel; a failure throws (the delivery is retried later).
 */
export class ChannelSender {
  constructor(private readonly d: ChannelSenderDeps) {}

  async send(delivery: DueDelivery, contact: UserContact | undefined): Promise<'sent' | 'skipped'> {
    if (delivery.channel === 'email') {
      if (!contact?.email) return 'skipped';
      await this.d.jobs.enqueue('mail.send', { to: contact.email, subject: delivery.title, text: delivery.body });
      return 'sent';
    }
    if (delivery.channel === 'sms') {
      if (!contact?.phone) return 'skipped';
      await this.d.sms.send({ to: contact.phone, text: `${delivery.title}: ${delivery.body}` });
      return 'sent';
    }
    return this.push(delivery);
  }

  /**
   * To every device; dead tokens are forgotten (`skipped` when none was alive). Fails when a device failed
   * otherwise: the delivery is retried as a whole (devices that got it may get it again).
   */
  private async push(delivery: DueDelivery): Promise<'sent' | 'skipped'> {
    const devices = await this.d.devices.ofUser(delivery.userId);
    if (devices.length === 0) return 'skipped';
    const message = { title: delivery.title, body: delivery.body, data: { ...delivery.data, notificationId: delivery.notificationId, type: delivery.type } };
    const results = await Promise.allSettled(devices.map((device) => this.d.push[device.platform].send(device.token, message)));
    let failed: unknown;
    let reached = false;
    for (const [i, result] of results.entries()) {
      if (result.status === 'rejected') failed = result.reason;
      else if (result.value === 'gone') await this.d.devices.forget(devices[i].id);
      else reached = true;
    }
    if (failed) throw failed;
    return reached ? 'sent' : 'skipped';
  }
}
