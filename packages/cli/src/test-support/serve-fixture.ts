import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import type { PopulationSummary } from '@bidfcl/contracts';
import type { RuntimeEnv } from '@bidfcl/runtime';
import { runCli } from './processes.js';

/** Runs `bidfcl allocate` on the tiny test split to completion and returns its summary (published as current). */
export async function allocate(env: RuntimeEnv, id: string, budget: number): Promise<PopulationSummary> {
  const args = [
    'allocate',
    '--model',
    'coupons',
    '--users',
    'store:datasets/tiny/v1/test/',
    '--budget',
    String(budget),
  ];
  const r = await runCli([...args, '--shards', '2', '--id', id, '--wait', '--json'], env);
  if (r.code !== 0) throw new Error(`allocate ${id} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as PopulationSummary;
}

/** A writable that keeps every log line (pino's JSON) for assertions. */
export function logSink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

export async function freePort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** A redis-server of the test's own on `port` (never the shared 6379), with a password; resolves once it listens. */
export async function startOwnRedis(port: number, password: string): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--requirepass', password],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/Ready to accept connections/.test(out)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out}`)));
  });
  return child;
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}
