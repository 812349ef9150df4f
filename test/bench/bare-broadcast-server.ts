/**
 * The cart bench's fan-out baseline: a bare Socket.IO server (no Redis adapter, no auth, no
 * handlers) in its own process, with the same engine options as Larder's. Each client joins the room
 * named in its handshake `auth.room`; the parent (over IPC) says what to broadcast to which room.
 *
 * IPC: parent → {type:'emit', room, event, payload}; child → {type:'listening', port} once ready.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';

interface EmitMessage {
  type: 'emit';
  room: string;
  event: string;
  payload: unknown;
}

const httpServer = createServer();
const io = new Server(httpServer, {
  perMessageDeflate: false,
  serveClient: false,
  pingInterval: 25_000,
  pingTimeout: 20_000,
});

io.on('connection', (socket) => {
  const room = socket.handshake.auth?.room;
  if (typeof room === 'string') void socket.join(room);
});

process.on('message', (message: EmitMessage) => {
  if (message.type === 'emit') io.to(message.room).emit(message.event, message.payload);
});
process.on('disconnect', () => {
  io.close();
  process.exit(0);
});
process.on('SIGTERM', () => {
  io.close();
  process.exit(0);
});

httpServer.listen(0, '127.0.0.1', () => {
  const { port } = httpServer.address() as { port: number };
  process.send?.({ type: 'listening', port });
});
