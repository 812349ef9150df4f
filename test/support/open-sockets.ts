import { connectSocket, type TestSocket } from './sockets.js';
import type { TestApp } from './test-env.js';

interface OpenSocket {
  socket: TestSocket;
  app: TestApp;
}

/**
 * The client sockets a test file opened, closed for it: a socket opened in a test (or its beforeEach)
 * closes after that test; one opened in a beforeAll lives until `closeAll()` (the end of the file).
 */
export class OpenSockets {
  private readonly forTest: OpenSocket[] = [];
  private readonly forFile: OpenSocket[] = [];
  private inTest = false;

  /** Registers the beforeEach/afterEach hooks that tell tests apart and close each test's sockets. */
  closeAfterEachTest(): void {
    beforeEach(() => {
      this.inTest = true;
    });
    afterEach(() => {
      this.inTest = false;
      close(this.forTest.splice(0));
    });
  }

  /** Connects to `app` with `token` (none: no auth) and remembers the socket until it is due to close. */
  async open(app: TestApp, token: string | undefined): Promise<TestSocket> {
    const socket = await connectSocket(app.url, token);
    (this.inTest ? this.forTest : this.forFile).push({ socket, app });
    return socket;
  }

  /** Closes the sockets connected to `app` (before that instance stops). */
  closeOn(app: TestApp): void {
    for (const list of [this.forTest, this.forFile]) close(extract(list, (s) => s.app === app));
  }

  closeAll(): void {
    close([...this.forTest.splice(0), ...this.forFile.splice(0)]);
  }
}

function close(sockets: OpenSocket[]): void {
  for (const { socket } of sockets) socket.close();
}

/** Removes the items that match from `list` and returns them. */
function extract<T>(list: T[], matches: (item: T) => boolean): T[] {
  const taken = list.filter(matches);
  const kept = list.filter((item) => !matches(item));
  list.splice(0, list.length, ...kept);
  return taken;
}
