import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runtimeEnvToVars, type RuntimeEnv } from '@bidfcl/runtime';

export const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

/** Runs `bidfcl …` to completion, capturing output. */
export function runCli(
  args: string[],
  env: RuntimeEnv,
  cwd?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...runtimeEnvToVars(env) },
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
export async function startWorkerProcess(
  role: string,
  env: RuntimeEnv,
  args: string[] = [],
): Promise<{ child: ChildProcess; output: () => string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [BIN, 'worker', role, ...args], {
    env: { ...process.env, ...runtimeEnvToVars(env) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes(`${role} worker:`)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`worker ${role} exited with ${code} before it was ready:\n${out}`)));
  });
  return {
    child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
