import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/**
 * A local HTTP server standing in for a merchant's webhook receiver: records every request and
 * answers with the statuses queued by the test (200 once the queue is empty).
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly answers: Array<{ status: number; headers?: Record<string, string> }> = [];
  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    let receiver!: WebhookReceiver;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        receiver.received.push({ path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
        const answer = receiver.answers.shift() ?? { status: 200 };
        res.writeHead(answer.status, answer.headers).end('ok');
      });
    });
    receiver = new WebhookReceiver(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** The next requests are answered with these statuses, in order. */
  answer(...answers: Array<number | { status: number; headers?: Record<string, string> }>): void {
    this.answers.push(...answers.map((a) => (typeof a === 'number' ? { status: a } : a)));
  }

  /** Requests to `path` whose body has this `type`. */
  of(type: string, path = '/hook'): ReceivedWebhook[] {
    return this.received.filter((r) => r.path === path && JSON.parse(r.body).type === type);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
