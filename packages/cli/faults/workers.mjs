// The five worker roles as real processes (`node packages/cli/dist/bin.js worker <role>`), restartable, and their
// sandboxed children found through ps, for kill -9.
import { ROLE_NAMES } from '@bidfcl/contracts';
import { childrenOf, killTree, startWorkerProcess } from '../dist/test-support/processes.js';

/**
 * A shorter lock than the default for the sandboxed roles (their process renews it while the child computes), so
 * that each kill costs seconds, not a minute (`--lock-seconds`, README). The in-process roles keep their default
 * (60 s): their handlers may hold the event loop for long synchronous steps, and a lock shorter than such a step
 * expires under it and runs the job twice (seen here under load average ~19: an evaluation run again after the
 * run had succeeded).
 */
export const LOCK_SECONDS = '6';
const SANDBOXED_ROLES = new Set(['observational-trainer', 'hypergradient']);

export function kill9(pid) {
  try {
    process.kill(pid, 'SIGKILL');
  } catch (err) {
    if (err.code !== 'ESRCH') throw err;
  }
}

export async function startCluster(env) {
  const workers = new Map();
  const start = async (role) =>
    workers.set(
      role,
      await startWorkerProcess(role, env, SANDBOXED_ROLES.has(role) ? ['--lock-seconds', LOCK_SECONDS] : []),
    );
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
    /** SIGTERM to every worker; kill -9 of any (and its children) still alive after `graceMs`. */
    async stop(graceMs) {
      await Promise.all([...workers.values()].map((w) => w.stop(graceMs)));
    },
    /** kill -9 of every worker process and its children, at once (the suite's deadline). */
    killAll() {
      for (const w of workers.values()) if (w.child.pid) killTree(w.child.pid);
    },
    /** Each role whose current worker process has exited (by itself: those the suite kills are replaced). */
    exited() {
      return [...workers]
        .filter(([, w]) => w.child.exitCode !== null || w.child.signalCode !== null)
        .map(([role, w]) => ({
          role,
          pid: w.child.pid,
          code: w.child.exitCode,
          signal: w.child.signalCode,
          output: w.output(),
        }));
    },
  };
}
