/**
 * One load-generator process of the connections bench (connections.ts forks several: one process holds
 * at most its file limit of sockets). Its sockets are WireSockets (the Socket.IO protocol over websocket
 * on a bare TCP socket, ~0.17 ms of CPU per handshake against ~0.5 ms for socket.io-client), so the
 * load generator leaves the server the CPU a connect storm needs on a 2-core box.
 *
 * IPC, parent → child, each answered by one message of the same `type`:
 * - `connect` {url, auths, perSecond}: opens one socket per handshake `auth`, at `perSecond` (open loop:
 *   handshake k is due at start + k/perSecond and timed from then) or, with 0, 100 at a time; answers
 *   how many connected, the refusals by code and each handshake's latency from its due time.
 * - `watch` {productId, count}: the first `count` sockets watch the product; answers its availability.
 * - `deliveries`: every `stock:changed` of the watched product received (value, epoch ms) and each
 *   watcher's last value.
 * - `close`: disconnects every socket.
 */
import { createServer } from 'node:net';
import { WireSocket } from './wire-socket.js';

type Message =
  | { type: 'connect'; url: string; auths: Array<Record<string, string>>; perSecond: number }
  | { type: 'watch'; productId: string; count: number }
  | { type: 'deliveries' }
  | { type: 'close' };

const sockets: WireSocket[] = [];
const watchers: Array<{ last: number }> = [];
const values: number[] = [];
const at: number[] = [];
let watchedProduct = '';

const epochMs = () => performance.timeOrigin + performance.now();

/**
 * Source addresses for connections to a loopback server: 127.0.0.2–17 where they can be bound (Linux
 * routes all of 127/8 to lo). From one source address to one server, connect() runs out of cheap
 * ephemeral ports: past ~14,000 sockets (half of 32768–60999, the even ports it tries first) each
 * connect costs the client ~2 ms of kernel time scanning for a free port, and the storm measured that.
 * The server sees the same handshakes; nothing of it limits or keys on the client's address.
 */
async function sourceAddresses(hostname: string): Promise<Array<string | undefined>> {
  if (hostname !== '127.0.0.1') return [undefined];
  const bindable = await new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(0, '127.0.0.2', () => probe.close(() => resolve(true)));
  });
  return bindable ? Array.from({ length: 16 }, (_, i) => `127.0.0.${i + 2}`) : [undefined];
}

let opened = 0;

async function connectAll(url: string, auths: Array<Record<string, string>>, perSecond: number) {
  const { hostname, port } = new URL(url);
  const sources = await sourceAddresses(hostname);
  const open = (auth: Record<string, string>) => WireSocket.open(hostname, Number(port), auth, 60_000, sources[opened++ % sources.length]);
  const refused: Record<string, number> = {};
  const latencies: number[] = [];
  let connected = 0;
  const started = performance.now();
  const one = async (k: number, due: number) => {
    const r = await open(auths[k]);
    latencies.push(performance.now() - due);
    if (r.socket) {
      sockets.push(r.socket);
      connected++;
    } else refused[r.code ?? 'ERROR'] = (refused[r.code ?? 'ERROR'] ?? 0) + 1;
  };
  if (perSecond > 0) {
    const pending: Promise<void>[] = [];
    for (let k = 0; k < auths.length; k++) {
      const due = started + (k * 1000) / perSecond;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      pending.push(one(k, due));
    }
    await Promise.all(pending);
  } else {
    for (let k = 0; k < auths.length; k += 100) {
      await Promise.all(auths.slice(k, k + 100).map((_, j) => one(k + j, performance.now())));
    }
  }
  return { connected, refused, latencies, startedAt: performance.timeOrigin + started, finishedAt: epochMs() };
}

async function watch(productId: string, count: number) {
  watchedProduct = productId;
  let available = NaN;
  let errors = 0;
  const chosen = sockets.slice(0, count);
  for (const socket of chosen) {
    const watcher = { last: -1 };
    watchers.push(watcher);
    socket.on('stock:changed', (p: { productId: string; available: number }) => {
      if (p.productId !== watchedProduct) return;
      values.push(p.available);
      at.push(epochMs());
      watcher.last = p.available;
    });
  }
  for (let i = 0; i < chosen.length; i += 250) {
    const acks = await Promise.all(chosen.slice(i, i + 250).map((s) => s.emitWithAck('products:watch', { productIds: [productId] }, 60_000)));
    for (const ack of acks as Array<{ ok: boolean; data?: { available: Record<string, number> } } | undefined>) {
      if (ack?.ok) available = ack.data!.available[productId];
      else errors++;
    }
  }
  return { available, errors };
}

process.on('message', (message: Message) => {
  const reply = (body: Record<string, unknown>) => process.send?.({ type: message.type, ...body });
  if (message.type === 'connect') void connectAll(message.url, message.auths, message.perSecond).then(reply);
  else if (message.type === 'watch') void watch(message.productId, message.count).then(reply);
  else if (message.type === 'deliveries') reply({ values, at, last: watchers.map((w) => w.last) });
  else if (message.type === 'close') {
    for (const s of sockets.splice(0)) s.disconnect();
    watchers.length = 0;
    values.length = 0;
    at.length = 0;
    reply({});
  }
});
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' });
