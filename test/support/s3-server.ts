import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

export interface TestS3 {
  /** Environment variables pointing a Larder instance at this server's bucket. */
  variables: Record<string, string>;
  close(): Promise<void>;
}

/** A real S3-compatible server (s3rver) on an ephemeral port with one bucket, for the S3 storage path. */
export async function startS3(bucket = 'larder-test'): Promise<TestS3> {
  const directory = mkdtempSync(join(tmpdir(), 'larder-s3-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
  const { port } = (await server.run()) as { port: number };
  return {
    variables: {
      S3_BUCKET: bucket,
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_REGION: 'us-east-1',
    },
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
