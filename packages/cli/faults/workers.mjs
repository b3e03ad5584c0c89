// The five worker roles as real processes (`node packages/cli/dist/bin.js worker <role>`), restartable, and their
// sandboxed children found through ps, for kill -9.
import { execFileSync } from 'node:child_process';
import { ROLE_NAMES } from '@bidfcl/contracts';
import { startWorkerProcess } from '../dist/test-support/processes.js';

/** A shorter lock than the default so that each kill costs seconds, not a minute (`--lock-seconds`, README). */
export const LOCK_SECONDS = '6';

export function kill9(pid) {
  try {
    process.kill(pid, 'SIGKILL');
  } catch (err) {
    if (err.code !== 'ESRCH') throw err;
  }
}

/** Direct children of a process (BullMQ's sandboxed processors are forked by their worker process). */
export function childrenOf(pid) {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((s) => Number(s.trim()))
      .filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when there are none
  }
}

export async function startCluster(env) {
  const workers = new Map();
  const start = async (role) =>
    workers.set(role, await startWorkerProcess(role, env, ['--lock-seconds', LOCK_SECONDS]));
  for (const role of ROLE_NAMES) await start(role);
  return {
    workers,
    /** Every process a kill may hit: each role's worker process, and the sandboxed children alive now. */
    targets() {
      const out = [];
      for (const [role, w] of workers) {
        out.push({ role, kind: 'worker', pid: w.child.pid });
        for (const pid of childrenOf(w.child.pid)) out.push({ role, kind: 'child', pid });
      }
      return out;
    },
    /** kill -9 of a target; a killed worker process is started again at once (with its children gone too). */
    async kill(target) {
      kill9(target.pid);
      if (target.kind === 'worker') {
        for (const pid of childrenOf(target.pid)) kill9(pid);
        await start(target.role);
      }
    },
    output: (role) => workers.get(role)?.output() ?? '',
    async stop() {
      await Promise.all([...workers.values()].map((w) => w.stop()));
    },
    /** No worker process is stuck: each still runs (a wedged one would keep its job's slot, see case d). */
    alive() {
      return [...workers.values()].every((w) => w.child.exitCode === null && w.child.signalCode === null);
    },
  };
}
