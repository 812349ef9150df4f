import { createServer } from 'node:http';
import { Server } from 'socket.io';

/**
 * A bare Socket.IO server for a bench's baseline, in its own process: the same engine options as
 * Larder's and nothing else. It listens on an ephemeral port and tells the parent over IPC
 * ({type:'listening', port}); it exits when the parent goes or sends SIGTERM.
 */
export function serveBareSocketIo(): Server {
  const httpServer = createServer();
  const io = new Server(httpServer, {
    perMessageDeflate: false,
    serveClient: false,
    pingInterval: 25_000,
    pingTimeout: 20_000,
  });
  const stop = () => {
    io.close();
    process.exit(0);
  };
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
  httpServer.listen(0, '127.0.0.1', () => {
    const { port } = httpServer.address() as { port: number };
    process.send?.({ type: 'listening', port });
  });
  return io;
}
