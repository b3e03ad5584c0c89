import { Child } from 'bullmq';
import { notice } from './observe/notices.js';

let installed = false;

/**
 * Makes a message that cannot reach a sandboxed child end that child, instead of the whole worker process.
 *
 * Why: BullMQ (6.7.x) hands a job to a pooled child with `child.send(start)` and neither awaits nor catches the
 * promise. A child that dies while idle in the pool (kill -9, OOM) stays there until this process handles its
 * 'exit' event; a job fetched before that (a loaded machine, where Redis's reply and the child's death are read in
 * the same turn) goes to the dead child, the write fails (EPIPE, or "channel closed"), the rejection is unhandled
 * and Node ends this process: the role is left unserved and a run waits on it for ever. Found by the fault suite
 * (issue 13, case (a): a hypergradient worker process gone after kills of its children only). This wrapper marks
 * every send's failure as handled (a caller that awaits the send still sees it) and kills the child it could not
 * reach, so that the child's 'exit' fails the job as an ordinary crash and the job is retried with a fresh child.
 * Installed once per process, by {@link startRoleWorkers} when a queue is sandboxed.
 */
export function guardSandboxSend(): void {
  if (installed) return;
  installed = true;
  const proto = Child.prototype as unknown as { send(this: Child, msg: unknown): Promise<void> };
  const send = proto.send;
  if (typeof send !== 'function') throw new Error('bullmq Child.send is gone: review sandbox-send-guard');
  proto.send = function (this: Child, msg: unknown): Promise<void> {
    const sent = send.call(this, msg);
    sent.catch((err: Error) => {
      const pid = this.childProcess?.pid ?? '(not started)';
      notice(`could not reach sandboxed child ${pid}: ${err.message}; ending it (its job fails and is retried)`, {
        pid,
      });
      // Already dead in the case above; a live child whose channel closed must not keep its job for ever either.
      this.kill('SIGKILL').catch(() => undefined);
    });
    return sent;
  };
}
