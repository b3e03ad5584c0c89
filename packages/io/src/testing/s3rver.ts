import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { tempDir } from './temp-dir.js';

/** A running s3rver child process: an S3 endpoint for tests and local development. */
export interface S3rverHandle {
  endpoint: string;
  bucket: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Stops the server and removes its data directory. */
  stop(): Promise<void>;
  /** An outage: stops the server's process but keeps its data (and its port, for {@link S3rverHandle.resume}). */
  pause(): Promise<void>;
  /** Ends an outage: a new server process on the same port over the same data. */
  resume(): Promise<void>;
}

// The child listens on port 0 (the OS picks a free port, so parallel test files never collide) and
// reports the port on stdout. The bucket is created by s3rver itself at start-up.
const CHILD = `
const S3rver = require(process.argv[1]);
const server = new S3rver({ address: '127.0.0.1', port: Number(process.argv[4] || 0), silent: true,
  directory: process.argv[2],
  configureBuckets: [{ name: process.argv[3], configs: [] }] });
server.run().then((addr) => process.stdout.write('PORT ' + addr.port + '\\n'),
  (err) => { console.error(err); process.exit(1); });
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

function waitForPort(child: ChildProcess, stderr: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error('s3rver did not report its port within 20 s')), 20_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      reject(new Error(`${err.message}\n${stderr()}`));
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => fail(new Error(`s3rver exited early with code ${code}`)));
    child.once('error', fail);
  });
}

/** Polls HeadBucket until the server answers and the bucket exists (bounded attempts, short pauses). */
async function waitUntilReady(endpoint: string, bucket: string): Promise<void> {
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: CREDENTIALS,
    maxAttempts: 1,
  });
  let last: unknown;
  try {
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket }));
        return;
      } catch (err) {
        last = err;
        await new Promise((r) => setTimeout(r, 20 + attempt * 10));
      }
    }
  } finally {
    client.destroy();
  }
  throw new Error(`s3rver at ${endpoint} did not serve bucket '${bucket}': ${String(last)}`);
}

/**
 * Starts s3rver in a child Node process (it needs `--openssl-legacy-provider` in its own process for
 * paginated listings) on a free port with a temporary data directory, and creates the bucket.
 */
export async function startS3rver(opts: { bucket?: string } = {}): Promise<S3rverHandle> {
  const bucket = opts.bucket ?? 'bidfcl-test';
  const dir = await tempDir('bidfcl-s3rver');
  const s3rverMain = createRequire(import.meta.url).resolve('s3rver');
  let child: ChildProcess | undefined;
  let errText = '';
  let exited: Promise<void> = Promise.resolve();
  const spawnServer = async (port: number): Promise<number> => {
    const c = spawn(
      process.execPath,
      ['--openssl-legacy-provider', '-e', CHILD, s3rverMain, dir.path, bucket, String(port)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = c;
    c.stderr?.on('data', (chunk: Buffer) => {
      errText = (errText + chunk.toString()).slice(-4000);
    });
    exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    return waitForPort(c, () => errText);
  };
  const kill = async () => {
    const c = child;
    if (c && c.exitCode === null && c.signalCode === null) {
      c.kill('SIGTERM');
      const timer = setTimeout(() => c.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  };
  const stop = async () => {
    await kill();
    await dir.cleanup();
  };
  try {
    const port = await spawnServer(0);
    const endpoint = `http://127.0.0.1:${port}`;
    await waitUntilReady(endpoint, bucket);
    return {
      endpoint,
      bucket,
      credentials: { ...CREDENTIALS },
      stop,
      pause: kill,
      async resume() {
        await spawnServer(port);
        await waitUntilReady(endpoint, bucket);
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
