// A local S3 for development and CI when MinIO is not available: s3rver (a real S3 HTTP server in
// Node) over a directory, with the project's bucket created at start. Started by start-s3.sh;
// configured through the environment so that the shell script stays the one place with defaults.
//
//   S3_ADDRESS (127.0.0.1)  S3_PORT (4568)  S3_DIR (.bidfcl/s3)  S3_BUCKET (bidfcl)
//
// s3rver encrypts list continuation tokens with DES, which OpenSSL 3 only offers through its legacy
// provider: without --openssl-legacy-provider in THIS process, paginated listings fail mid-run.
// Checked here at start so that a misconfigured server fails loudly instead of on page two.
import crypto from 'node:crypto';
import fs from 'node:fs';
import S3rver from 's3rver';

try {
  crypto.createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8));
} catch {
  console.error('s3rver-serve: DES is unavailable; start Node with NODE_OPTIONS=--openssl-legacy-provider');
  process.exit(2);
}

const address = process.env.S3_ADDRESS ?? '127.0.0.1';
const port = Number(process.env.S3_PORT ?? '4568');
const directory = process.env.S3_DIR ?? '.bidfcl/s3';
const bucket = process.env.S3_BUCKET ?? 'bidfcl';
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`s3rver-serve: S3_PORT must be a port number, got '${process.env.S3_PORT}'`);
  process.exit(2);
}

fs.mkdirSync(directory, { recursive: true });
const server = new S3rver({
  address,
  port,
  directory,
  silent: true,
  // Path-style only (the project's S3 client uses forcePathStyle); vhost parsing would
  // mistake a dotted host such as 127.0.0.1 for a bucket name.
  vhostBuckets: false,
  configureBuckets: [{ name: bucket, configs: [] }],
});

const info = await server.run();
console.log(`s3rver-serve: listening on http://${info.address}:${info.port} bucket=${bucket} dir=${directory}`);

let closing = false;
const close = (signal) => {
  if (closing) return;
  closing = true;
  console.log(`s3rver-serve: ${signal}, closing`);
  server.close().then(
    () => process.exit(0),
    (err) => {
      console.error('s3rver-serve: close failed', err);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => close('SIGTERM'));
process.on('SIGINT', () => close('SIGINT'));
