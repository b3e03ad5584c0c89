import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runtimeEnvToVars, type RuntimeEnv } from '@bidfcl/runtime';

export const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

/** Runs `bidfcl …` to completion, capturing output. */
export function runCli(
  args: string[],
  env: RuntimeEnv,
  cwd?: string,
  /** More environment variables (e.g. what a desktop would set), over this process's. */
  extraEnv: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...runtimeEnvToVars(env), ...extraEnv },
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Starts `bidfcl worker <role>` and resolves once it says it is listening. */
export function startWorkerProcess(role: string, env: RuntimeEnv, args: string[] = []) {
  return startCliProcess(['worker', role, ...args], env, `${role} worker:`);
}

/** Starts a long-running `bidfcl …` (a worker, the dashboard) and resolves once its stdout shows `ready`. */
export async function startCliProcess(
  args: string[],
  env: RuntimeEnv,
  ready: string,
  extraVars: NodeJS.ProcessEnv = {},
): Promise<{ child: ChildProcess; output: () => string; stop(graceMs?: number): Promise<void> }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...runtimeEnvToVars(env), ...extraVars },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes(ready)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d) => (out += d.toString()));
    child.once('exit', (code) =>
      reject(new Error(`bidfcl ${args[0]} exited with ${code} before it was ready:\n${out}`)),
    );
  });
  return { child, output: () => out, stop: (graceMs?: number) => stopProcess(child, graceMs) };
}

/** How long a stopped worker may take to finish its active jobs before it and its children are killed. */
const STOP_GRACE_MS = 15_000;

/**
 * SIGTERM (the worker finishes its active jobs), then, if it has not exited within `graceMs`, kill -9 of it and
 * of every process below it (BullMQ's sandboxed children), so that a test or the fault suite never hangs on a worker
 * whose job waits for something that will not come.
 */
export function stopProcess(child: ChildProcess, graceMs = STOP_GRACE_MS): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => killTree(child.pid!), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Direct children of a process (`ps --ppid`; none when it has none or has gone). */
export function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((s) => Number(s.trim()))
      .filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when there are none
  }
}

/** kill -9 of a process and all its descendants, children first listed before the parent dies. */
export function killTree(pid: number): void {
  const all: number[] = [];
  const walk = (p: number) => {
    all.push(p);
    for (const c of childrenOf(p)) walk(c);
  };
  walk(pid);
  for (const p of all) {
    try {
      process.kill(p, 'SIGKILL');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  }
}

/** The messages a worker process logged about one job (its stdout is JSON lines when it is not a terminal). */
export function jobMessages(output: string, jobId: string): string[] {
  return output
    .split('\n')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as { jobId?: string; msg?: string }];
      } catch {
        return []; // a plain line (stderr is read together with stdout)
      }
    })
    .filter((l) => l.jobId === jobId)
    .map((l) => l.msg ?? '');
}
