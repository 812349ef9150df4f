import { argon2id, hash, needsRehash, verify } from 'argon2';
import { Semaphore } from './semaphore.js';

/** OWASP's argon2id minimum: 19 MiB, 2 passes, 1 lane. */
export const ARGON2_OPTIONS = { type: argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * A hash made with ARGON2_OPTIONS from a random password nobody kept. Verifying against it costs the
 * same as verifying a real hash, so an unknown e-mail answers as slowly as a wrong password.
 */
export const DUMMY_HASH = '$argon2id$v=19$m=19456,p=1,t=2$8WQ4ePPc2ejzdKhxeXkGZg$DRLU+XIN3Hder3Nuje8ErJdQiVT+2y8Hfqn/qqgiL4o';

/**
 * argon2id hashing with a bounded number of hashes in flight: each one takes ~19 MiB and a libuv
 * thread for tens of milliseconds, so an unbounded burst would starve every other request.
 */
export class PasswordHasher {
  private readonly slots: Semaphore;
  private completed = 0;

  constructor(concurrency: number) {
    this.slots = new Semaphore(concurrency);
  }

  /** Hashes a new password. */
  hash(password: string): Promise<string> {
    return this.run(() => hash(password, ARGON2_OPTIONS));
  }

  /** Checks a password; with no stored hash it still does the full work and answers false. */
  async verify(storedHash: string | null | undefined, password: string): Promise<boolean> {
    const ok = await this.run(() => verify(storedHash ?? DUMMY_HASH, password));
    return ok && storedHash != null;
  }

  /** Whether a stored hash was made with weaker or different parameters than today's. */
  needsRehash(storedHash: string): boolean {
    return needsRehash(storedHash, ARGON2_OPTIONS);
  }

  /** Hashes running and queued, and hashes/verifications finished since start (for metrics and tests). */
  stats(): { active: number; waiting: number; completed: number } {
    return { ...this.slots.load, completed: this.completed };
  }

  private async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await this.slots.run(work);
    } finally {
      this.completed++;
    }
  }
}
