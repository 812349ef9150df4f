import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const FORMAT = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts POS access tokens at rest with AES-256-GCM (a random 96-bit IV per token, the 128-bit tag
 * checked on decrypt). The merchant id is bound as additional data, so a ciphertext copied onto another
 * merchant's row does not decrypt. Stored as `v1.<base64 iv|tag|ciphertext>`; the prefix leaves room
 * for a later key rotation.
 */
export class TokenCipher {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('POS token key must be 32 bytes');
  }

  encrypt(token: string, merchantId: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(merchantId));
    const body = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
    return `${FORMAT}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  /** The token, or an error when the ciphertext was altered, moved to another merchant or made with another key. */
  decrypt(stored: string, merchantId: string): string {
    const [format, payload] = stored.split('.');
    if (format !== FORMAT || !payload) throw new Error('Unknown POS token format');
    const raw = Buffer.from(payload, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(merchantId));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}
