// A worker process for the runtime's own tests: one sandboxed training worker, configured from the environment.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRuntimeContext, startRoleWorkers } from '@bidfcl/runtime';

// BIDFCL_TEST_CHILD_EXEC_PATH: the executable sandboxed children are forked with (Node's fork takes process.execPath);
// a missing one makes every fork fail, as the process limit (EAGAIN) would.
if (process.env.BIDFCL_TEST_CHILD_EXEC_PATH) process.execPath = process.env.BIDFCL_TEST_CHILD_EXEC_PATH;

const ctx = createRuntimeContext();
const sandboxPath = fileURLToPath(new URL('./sandbox-processor.mjs', import.meta.url));
const workers = startRoleWorkers(ctx, 'observational-trainer', { handlers: {}, sandboxed: { training: sandboxPath } });

/** Every thread of `pid` has exited (its files, the IPC channel among them, are closed); only the zombie is left. */
function fullyDead(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat[stat.lastIndexOf(')') + 2] === 'Z' && readdirSync(`/proc/${pid}/task`).length === 1;
}

// BIDFCL_TEST_KILL_IDLE_CHILD_AFTER=<job id>: once that job completes, its child (idle in BullMQ's pool now) is
// killed and this process blocks its event loop until the child is fully dead, so that the next job, already
// fetched, is handed to the dead child before this process has seen it die: what a loaded machine does when
// Redis's reply and the child's death are read in the same turn. The sandbox processor's result names its pid.
const killAfter = process.env.BIDFCL_TEST_KILL_IDLE_CHILD_AFTER;
if (killAfter)
  workers.workers[0].on('completed', (job, result) => {
    if (job.id !== killAfter) return;
    const pid = Number(/pid (\d+)/.exec(result.skipped)[1]);
    process.kill(pid, 'SIGKILL');
    while (!fullyDead(pid)); // deliberately synchronous: no event of the child's death may be handled meanwhile
  });

await Promise.all(workers.workers.map((w) => w.waitUntilReady()));
process.stdout.write('ready\n');
