import type { IncomingMessage } from 'node:http';
import type { Server } from 'socket.io';

/**
 * A websocket handshake leaves the server as two writes a microtask apart: ws's `101 Switching
 * Protocols`, then Engine.IO's open packet once it has a session id. Corking the connection from the
 * 101 (Engine.IO's `initial_headers`, emitted just before it is written) to the next turn of the loop
 * sends both in one syscall: on loopback each write costs the sender the receiver's TCP work too, a
 * tenth of a handshake's CPU. Nothing waits longer than the end of the current turn.
 */
export function coalesceHandshakeWrites(io: Pick<Server, 'engine'>): void {
  io.engine.on('initial_headers', (_headers: unknown, req: IncomingMessage) => {
    if (req.headers.upgrade?.toLowerCase() !== 'websocket') return; // long-polling answers through its own response
    const socket = req.socket;
    socket.cork();
    setImmediate(() => socket.uncork());
  });
}
