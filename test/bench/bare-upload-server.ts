/**
 * The diary bench's upload baseline: a bare Node http server in its own process that streams every
 * request body to a file in a temp directory (no auth, no checks, no re-encoding) and answers 200.
 * IPC: child → {type:'listening', port} once ready.
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

const dir = mkdtempSync(join(tmpdir(), 'larder-bare-upload-'));
let n = 0;
const server = createServer((req, res) => {
  const file = join(dir, `upload-${++n}`);
  pipeline(req, createWriteStream(file)).then(
    () => res.end('{}'),
    () => res.writeHead(500).end(),
  );
});

const stop = () => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
};
process.on('disconnect', stop);
process.on('SIGTERM', stop);

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  process.send?.({ type: 'listening', port });
});
