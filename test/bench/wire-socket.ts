/**
 * A lean Socket.IO client for the connections bench's load generator: the Socket.IO protocol (v5 over
 * Engine.IO 4) on the websocket transport straight from the first request, as the mobile clients
 * connect, written on a bare TCP socket. socket.io-client spends ~0.6 ms of CPU per handshake
 * (Manager, engine.io-client, `ws` and Node's HTTP client for the upgrade), so four of its processes on
 * this 2-core box could not open 2,000 handshakes/s while the server also needs a core; this one sends
 * one pre-built upgrade request and parses a few small frames.
 *
 * The server sees exactly what socket.io-client sends: the upgrade request, `40{auth}` (CONNECT with the
 * handshake auth), `3` for each ping, events `42[id][…]` and acks; it answers `40{sid}` or `44{…}`
 * (CONNECT_ERROR with the middleware's code). Text frames only (the app sends no binary); client frames
 * masked as RFC 6455 requires.
 */
import { randomBytes } from 'node:crypto';
import { connect as tcpConnect, type Socket as TcpSocket } from 'node:net';

/** A fixed key (the load generator need not vary it) and the accept the server must answer to it. */
const KEY = 'bGFyZGVyLWJlbmNoLWtleQ==';
const ACCEPT = 'RwEzSa0tU4QdBegxNpiCQ1YMqLk=';
/** Fresh per process: a masking key the server cannot predict (RFC 6455 §5.3); its cost is nil here. */
const MASK = randomBytes(4);

export type Opened = { socket: WireSocket; code?: undefined } | { socket?: undefined; code: string };

type Listener = (...args: any[]) => void;

export class WireSocket {
  private buffered: Buffer | null = null;
  private upgraded = false;
  private nextAckId = 0;
  private readonly acks = new Map<number, (args: unknown[]) => void>();
  private readonly listeners = new Map<string, Listener>();
  private settle: ((r: Opened) => void) | null;
  private readonly timer: NodeJS.Timeout;

  /**
   * Opens one Socket.IO connection with handshake `auth`: the socket once CONNECTed, or the refusal's
   * `data.code`. `localAddress`: the source address (e.g. 127.0.0.N, see connections-client.ts).
   */
  static open(host: string, port: number, auth: Record<string, string>, timeoutMs: number, localAddress?: string): Promise<Opened> {
    return new Promise((resolve) => new WireSocket(host, port, auth, timeoutMs, resolve, localAddress));
  }

  private readonly tcp: TcpSocket;

  private constructor(
    host: string,
    port: number,
    private readonly auth: Record<string, string>,
    timeoutMs: number,
    settle: (r: Opened) => void,
    localAddress: string | undefined,
  ) {
    this.settle = settle;
    this.timer = setTimeout(() => this.refused('TIMEOUT'), timeoutMs);
    this.tcp = tcpConnect({ host, port, noDelay: true, localAddress });
    this.tcp.on('connect', () =>
      this.tcp.write(
        `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: ${host}:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${KEY}\r\n\r\n`,
      ),
    );
    this.tcp.on('data', (chunk: Buffer) => this.onData(chunk));
    this.tcp.on('error', (err) => this.refused(`TCP_${(err as NodeJS.ErrnoException).code ?? err.message}`));
    this.tcp.on('close', () => this.refused('CLOSED'));
  }

  /** Handles a server event (one listener per event name). */
  on(event: string, listener: Listener): void {
    this.listeners.set(event, listener);
  }

  /** Emits an event and resolves with its ack's first argument, or undefined when no ack came within `timeoutMs`. */
  emitWithAck(event: string, payload: unknown, timeoutMs: number): Promise<unknown> {
    const id = this.nextAckId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.acks.delete(id);
        resolve(undefined);
      }, timeoutMs);
      this.acks.set(id, (args) => {
        clearTimeout(timer);
        resolve(args[0]);
      });
      this.send(`42${id}${JSON.stringify([event, payload])}`);
    });
  }

  /** Socket.IO DISCONNECT, then the TCP connection's end (the server sees a client namespace disconnect). */
  disconnect(): void {
    if (!this.tcp.destroyed) this.send('41');
    this.tcp.end();
  }

  private refused(code: string): void {
    if (!this.settle) return;
    const settle = this.settle;
    this.settle = null;
    clearTimeout(this.timer);
    this.tcp.destroy();
    settle({ code });
  }

  private onData(chunk: Buffer): void {
    let data = this.buffered ? Buffer.concat([this.buffered, chunk]) : chunk;
    this.buffered = null;
    if (!this.upgraded) {
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) {
        this.buffered = data;
        return;
      }
      const head = data.toString('latin1', 0, end);
      if (!head.startsWith('HTTP/1.1 101') || !head.includes(ACCEPT)) {
        this.refused(`HTTP_${head.slice(9, 12)}`);
        return;
      }
      this.upgraded = true;
      data = data.subarray(end + 4);
    }
    let at = 0;
    while (data.length - at >= 2) {
      const first = data[at];
      let length = data[at + 1] & 0x7f;
      let header = 2;
      if (length === 126) {
        if (data.length - at < 4) break;
        length = data.readUInt16BE(at + 2);
        header = 4;
      } else if (length === 127) {
        if (data.length - at < 10) break;
        length = Number(data.readBigUInt64BE(at + 2));
        header = 10;
      }
      if (data.length - at < header + length) break;
      const opcode = first & 0x0f;
      if ((first & 0x80) === 0 || opcode === 8) {
        // a close frame, or a fragment (the server never fragments its small text frames)
        this.refused(opcode === 8 ? 'CLOSED' : 'FRAGMENTED_FRAME');
        this.tcp.destroy();
        return;
      }
      if (opcode === 1) this.onPacket(data.toString('utf8', at + header, at + header + length));
      at += header + length;
    }
    if (at < data.length) this.buffered = data.subarray(at);
  }

  private onPacket(packet: string): void {
    const engine = packet.charCodeAt(0);
    if (engine === 0x32 /* 2 ping */) this.send('3');
    else if (engine === 0x30 /* 0 open */) this.send(`40${JSON.stringify(this.auth)}`);
    if (engine !== 0x34 /* 4 message */) return;
    const type = packet.charCodeAt(1);
    if (type === 0x30 /* 0 CONNECT */) {
      if (!this.settle) return;
      const settle = this.settle;
      this.settle = null;
      clearTimeout(this.timer);
      settle({ socket: this });
    } else if (type === 0x34 /* 4 CONNECT_ERROR */) {
      const error = JSON.parse(packet.slice(2)) as { message?: string; data?: { code?: string } };
      this.refused(error.data?.code ?? error.message ?? 'CONNECT_ERROR');
    } else if (type === 0x32 /* 2 EVENT */ || type === 0x33 /* 3 ACK */) {
      let i = 2;
      while (i < packet.length && packet.charCodeAt(i) >= 0x30 && packet.charCodeAt(i) <= 0x39) i++;
      const args = JSON.parse(packet.slice(i)) as unknown[];
      if (type === 0x33) {
        const id = Number(packet.slice(2, i));
        const ack = this.acks.get(id);
        this.acks.delete(id);
        ack?.(args);
      } else this.listeners.get(args[0] as string)?.(...args.slice(1));
    }
  }

  private send(text: string): void {
    const payload = Buffer.from(text);
    const length = payload.length;
    const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
    const frame = Buffer.allocUnsafe(header + 4 + length);
    frame[0] = 0x81; // FIN, text
    if (header === 2) frame[1] = 0x80 | length;
    else if (header === 4) {
      frame[1] = 0x80 | 126;
      frame.writeUInt16BE(length, 2);
    } else {
      frame[1] = 0x80 | 127;
      frame.writeBigUInt64BE(BigInt(length), 2);
    }
    MASK.copy(frame, header);
    for (let i = 0; i < length; i++) frame[header + 4 + i] = payload[i] ^ MASK[i & 3];
    this.tcp.write(frame);
  }
}
