import { afterAll, beforeAll, expect, it } from 'vitest';
import { NotFoundError } from '../store/artefact-store.js';
import { LocalStore } from '../store/local-store.js';
import { S3Store } from '../store/s3-store.js';
import { startS3rver, type S3rverHandle } from '../testing/s3rver.js';
import { readSource } from './read-source.js';

let server: S3rverHandle;
beforeAll(async () => {
  server = await startS3rver({ bucket: 'io-source' });
});
afterAll(async () => {
  await server?.stop();
});

it('reads s3://bucket/key sources with the credentials it is given', async () => {
  const creds = { endpoint: server.endpoint, ...server.credentials };
  const s3 = new S3Store({ ...creds, region: 'us-east-1', bucket: server.bucket });
  await s3.put('raw/rct/part-0.csv', 'a\n1\n');
  s3.destroy();
  const unused = new LocalStore('/nonexistent-store-root');
  const src = await readSource(`s3://${server.bucket}/raw/rct/part-0.csv`, unused, creds);
  expect(new TextDecoder().decode(src.bytes)).toBe('a\n1\n');
  expect(src.format).toBe('csv');
  expect(src.what).toBe(`s3://${server.bucket}/raw/rct/part-0.csv`);
  await expect(readSource(`s3://${server.bucket}/raw/none.csv`, unused, creds)).rejects.toBeInstanceOf(NotFoundError);
});
