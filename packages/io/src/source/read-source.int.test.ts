import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { NotFoundError } from '../store/artefact-store.js';
import { LocalStore } from '../store/local-store.js';
import { S3Store } from '../store/s3-store.js';
import { startS3rver, type S3rverHandle } from '../testing/s3rver.js';
import { readSource } from './read-source.js';
import { InputRefusedError } from './source-access.js';

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
  const src = await readSource(`s3://${server.bucket}/raw/rct/part-0.csv`, unused, { s3: creds });
  expect(new TextDecoder().decode(src.bytes)).toBe('a\n1\n');
  expect(src.format).toBe('csv');
  expect(src.what).toBe(`s3://${server.bucket}/raw/rct/part-0.csv`);
  await expect(readSource(`s3://${server.bucket}/raw/none.csv`, unused, { s3: creds })).rejects.toBeInstanceOf(
    NotFoundError,
  );
});

it('refuses an s3:// input above maxBytes before downloading it, naming the object and the limit', async () => {
  const creds = { endpoint: server.endpoint, ...server.credentials };
  const s3 = new S3Store({ ...creds, region: 'us-east-1', bucket: server.bucket });
  await s3.put('raw/big.csv', 'a\n'.repeat(100));
  s3.destroy();
  const unused = new LocalStore('/nonexistent-store-root');
  const uri = `s3://${server.bucket}/raw/big.csv`;
  await expect(readSource(uri, unused, { s3: creds, maxBytes: 199 })).rejects.toThrow(
    new InputRefusedError(
      `${uri} is 200 bytes, above the largest input this worker reads (BIDFCL_MAX_INPUT_BYTES=199): ` +
        'split it into several files (a folder of parts) or raise the limit',
    ),
  );
  expect((await readSource(uri, unused, { s3: creds, maxBytes: 200 })).bytes.byteLength).toBe(200);
});

it('uses the default credential chain when no keys are given: environment, then a shared profile file', async () => {
  const saved = { ...process.env };
  const unused = new LocalStore('/nonexistent-store-root');
  const uri = `s3://${server.bucket}/raw/chain.csv`;
  const s3 = new S3Store({
    endpoint: server.endpoint,
    ...server.credentials,
    region: 'us-east-1',
    bucket: server.bucket,
  });
  await s3.put('raw/chain.csv', 'a\n1\n');
  s3.destroy();
  const dir = await mkdtemp(path.join(tmpdir(), 'bidfcl-aws-'));
  try {
    // Keys in the environment (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY), none in the settings.
    process.env.AWS_ACCESS_KEY_ID = server.credentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = server.credentials.secretAccessKey;
    expect((await readSource(uri, unused, { s3: { endpoint: server.endpoint } })).bytes.byteLength).toBe(4);
    // A profile in a shared credentials file; s3rver refuses a wrong key, so the profile is what signed.
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    const file = path.join(dir, 'credentials');
    const { accessKeyId, secretAccessKey } = server.credentials;
    await writeFile(
      file,
      `[ci]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\n` +
        '[wrong]\naws_access_key_id = nobody\naws_secret_access_key = nothing\n',
    );
    process.env.AWS_SHARED_CREDENTIALS_FILE = file;
    process.env.AWS_CONFIG_FILE = path.join(dir, 'none');
    process.env.AWS_PROFILE = 'ci';
    expect((await readSource(uri, unused, { s3: { endpoint: server.endpoint } })).bytes.byteLength).toBe(4);
    process.env.AWS_PROFILE = 'wrong';
    await expect(readSource(uri, unused, { s3: { endpoint: server.endpoint } })).rejects.toThrow();
  } finally {
    process.env = saved;
    await rm(dir, { recursive: true, force: true });
  }
});
