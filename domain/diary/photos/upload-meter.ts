import { Transform, type TransformCallback } from 'node:stream';
import { AppError } from '../../shared/app-error.js';

export interface UploadProgress {
  bytesReceived: number;
  bytesTotal: number | null;
}

const PROGRESS_INTERVAL_MS = 100; // at most 10 progress reports per second, plus the last one

/**
 * Counts an upload's bytes as they stream through: fails with PAYLOAD_TOO_LARGE the moment the limit
 * is passed (the rest is never read), and reports progress at most ten times a second and once at the end.
 */
export class UploadMeter extends Transform {
  private received = 0;
  private lastReport = 0;

  constructor(
    private readonly limit: number,
    private readonly bytesTotal: number | null,
    private readonly report: (progress: UploadProgress) => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.received += chunk.length;
    if (this.received > this.limit) {
      callback(new AppError('PAYLOAD_TOO_LARGE', `A photo is at most ${this.limit} bytes`, { limit: this.limit }));
      return;
    }
    const now = Date.now();
    if (now - this.lastReport >= PROGRESS_INTERVAL_MS) {
      this.lastReport = now;
      this.report({ bytesReceived: this.received, bytesTotal: this.bytesTotal });
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.report({ bytesReceived: this.received, bytesTotal: this.bytesTotal });
    callback();
  }
}
