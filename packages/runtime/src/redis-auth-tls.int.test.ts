import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { jobIds, keys } from '@bidfcl/contracts';
import { pingRedis, redactUrl } from './connection.js';
import { createTestRuntime } from './testing/index.js';
import { startRoleWorkers } from './worker-factory.js';

// A Redis with a password, reachable only over TLS with a certificate from a private CA, as a production
// deployment would run it (README, Security). openssl and redis-server are Debian packages the CI machine has.
const PASSWORD = 'tls-test-Secret-7731';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

function openssl(args: string[], cwd: string): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
}

describe('Redis with a password over TLS (rediss://, private CA)', () => {
  let dir: string;
  let server: ChildProcess;
  let url: string;
  let caFile: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bidfcl-tls-'));
    const subj = (cn: string) => ['-subj', `/CN=${cn}`];
    openssl(
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        'ca.key',
        '-out',
        'ca.pem',
        '-days',
        '2',
        ...subj('ca'),
      ],
      dir,
    );
    openssl(
      ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'srv.key', '-out', 'srv.csr', ...subj('localhost')],
      dir,
    );
    await writeFile(path.join(dir, 'ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1');
    openssl(
      [
        'x509',
        '-req',
        '-in',
        'srv.csr',
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        'srv.pem',
        '-days',
        '2',
        '-extfile',
        'ext',
      ],
      dir,
    );
    caFile = path.join(dir, 'ca.pem');
    const port = await freePort();
    server = spawn(
      'redis-server',
      [
        '--port',
        '0',
        '--tls-port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--tls-cert-file',
        'srv.pem',
        '--tls-key-file',
        'srv.key',
        '--tls-ca-cert-file',
        'ca.pem',
        '--tls-auth-clients',
        'no',
        '--requirepass',
        PASSWORD,
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    url = `rediss://:${PASSWORD}@localhost:${port}`;
    // Ready once the server says it accepts connections (an event, not a polling loop); then one ping over TLS.
    const started = server;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      started.stdout!.on('data', (d: Buffer) => {
        out = (out + d.toString()).slice(-4000);
        if (/Ready to accept connections/.test(out)) resolve();
      });
      started.stderr!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
      started.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${out}`)));
    });
    await pingRedis(url, 5000, caFile);
  });
  afterAll(async () => {
    server?.kill('SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('a catalog job runs through a worker over rediss:// with the password and the CA file', async () => {
    const rt = await createTestRuntime('tls', { redisUrl: url, redisCaFile: caFile });
    const workers = startRoleWorkers(rt.ctx, 'hypergradient', {
      handlers: {
        'hypergrad.step.v1': async ({ runId, method, step }) => ({
          gradKey: keys.hypergrad(runId, method, step, 'grad'),
          cgIterations: 1,
          negativeCurvatureStops: 0,
          upperLoss: 0.5,
        }),
      },
    });
    try {
      const runId = 'tls-run';
      const payload = {
        runId,
        method: 'bidfcl-ppl' as const,
        step: 1,
        thetaKey: keys.hypergrad(runId, 'bidfcl-ppl', 1, 'theta'),
        phiKey: keys.hypergrad(runId, 'bidfcl-ppl', 1, 'phi'),
        obsBatchSeed: 1,
        rctBatchSeed: 2,
      };
      const id = jobIds.hypergrad(runId, 'bidfcl-ppl', 1);
      expect((await rt.ctx.queues.enqueueAndWait('hypergrad.step.v1', payload, id)).upperLoss).toBe(0.5);
    } finally {
      await workers.close();
      await rt.cleanup();
    }
  });

  test('a wrong password or an unknown CA is refused, and no message shows the password', async () => {
    const wrong = url.replace(PASSWORD, 'not-the-password');
    const errors = await Promise.all(
      [pingRedis(wrong, 2000, caFile), pingRedis(url, 2000), pingRedis(url.replace('rediss:', 'redis:'), 2000)].map(
        (p) =>
          p.then(
            () => undefined,
            (e: unknown) => e as Error,
          ),
      ),
    );
    for (const err of errors) {
      expect(err).toBeInstanceOf(Error);
      expect(err!.message).toContain('no Redis answers at');
      expect(err!.message).not.toContain(PASSWORD);
      expect(err!.message).not.toContain('not-the-password');
    }
    expect(errors[0]!.message).toMatch(/WRONGPASS.*Check the password in REDIS_URL/);
    expect(errors[1]!.message).toMatch(/certificate.*set BIDFCL_REDIS_CA_FILE/i);
  });

  test('redactUrl hides the password and the user name, and leaves a URL without them alone', () => {
    expect(redactUrl('rediss://:s3cret@redis.internal:6380/0')).toBe('rediss://:***@redis.internal:6380/0');
    expect(redactUrl('redis://app:s3cret@h:6379')).toBe('redis://***:***@h:6379');
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});
