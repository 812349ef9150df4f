/**
 * The cart bench's fan-out baseline: a bare Socket.IO server (no Redis adapter, no auth, no
 * handlers) in its own process, with the same engine options as Larder's. Each client joins the room
 * named in its handshake `auth.room`; the parent (over IPC) says what to broadcast to which room.
 *
 * IPC: parent → {type:'emit', room, event, payload}; child → {type:'listening', port} once ready.
 */
import { serveBareSocketIo } from './bare-socket-io.js';

interface EmitMessage {
  type: 'emit';
  room: string;
  event: string;
  payload: unknown;
}

const io = serveBareSocketIo();

io.on('connection', (socket) => {
  const room = socket.handshake.auth?.room;
  if (typeof room === 'string') void socket.join(room);
});

process.on('message', (message: EmitMessage) => {
  if (message.type === 'emit') io.to(message.room).emit(message.event, message.payload);
});
