// A redis-server of the fault suite's own, on a free port with append-only persistence in a temp dir, so that it can
// be restarted and flushed without disturbing the shared Redis at 127.0.0.1:6379 (README, Reliability).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once the server logs that it accepts connections (after replaying its AOF): an event, not a timer. */
function spawnServer(dir, port) {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const ready = new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out = (out + d).slice(-4000);
      if (/Ready to accept connections/.test(out)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${out}`)));
  });
  return { child, ready, exited };
}

export async function startOwnRedis() {
  const dir = await mkdtemp(path.join(tmpdir(), 'bidfcl-faults-redis-'));
  const port = await freePort();
  let server = spawnServer(dir, port);
  await server.ready;
  const url = `redis://127.0.0.1:${port}`;
  const stopServer = async () => {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  };
  return {
    url,
    /** A restart with persistence: SIGTERM (the AOF is fsynced on every write), then a new server over the same dir. */
    async restart() {
      await stopServer();
      server = spawnServer(dir, port);
      await server.ready;
    },
    /** Redis loses its data: FLUSHALL (as a restart without persistence would). */
    async flush() {
      const r = new Redis(url, { maxRetriesPerRequest: 3 });
      try {
        await r.flushall();
      } finally {
        r.disconnect();
      }
    },
    /** kill -9 of the server (the suite's deadline); its directory is left for the OS's temp cleanup. */
    kill() {
      server.child.kill('SIGKILL');
    },
    async stop() {
      await stopServer();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
