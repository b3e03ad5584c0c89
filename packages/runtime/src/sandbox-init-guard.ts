import { Child } from 'bullmq';
import { notice } from './observe/notices.js';

let installed = false;

/**
 * Makes a sandboxed child that dies while it loads its processor fail the job, instead of hanging it for ever, and
 * one that cannot be started at all fail the job, instead of ending this process.
 *
 * Why: BullMQ (6.7.x) forks the child and waits for an "init completed" message, rejecting on the child's 'close'
 * event; but its own 'exit' handler, which always runs first, removes every listener of the child, including that
 * one. A child killed (kill -9, OOM) while it imports its processor (tfjs and the handlers take a second or more)
 * thus leaves the job active for ever: the live parent keeps renewing its lock, so no stall check ever frees it,
 * and a run waiting on it never ends. Found by the fault suite (issue 13, case (a)). This wrapper rejects the
 * init on the child's 'exit', which BullMQ emits before removing the listeners, so the job fails as an ordinary
 * crash and is retried. A fork that fails emits 'error' instead, which no one in BullMQ listens to, and leaves
 * BullMQ's wait for the child's answer to reject unhandled on its 'close': either ends the worker process, so the
 * wrapper handles both (below). Installed once per process, by {@link startRoleWorkers} when a queue is sandboxed.
 */
export function guardSandboxInit(): void {
  if (installed) return;
  installed = true;
  const proto = Child.prototype as unknown as { initChild(this: Child): Promise<void> };
  const initChild = proto.initChild;
  if (typeof initChild !== 'function') throw new Error('bullmq Child.initChild is gone: review sandbox-init-guard');
  proto.initChild = function (this: Child): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onExit = (code: number | null, signal: string | null) =>
        reject(new Error(`the sandboxed child exited while loading its processor (code ${code}, signal ${signal})`));
      this.once('exit', onExit);
      // A child that cannot be started (fork failing: EAGAIN at the process limit, ENOENT) emits 'error' and never
      // 'exit'. BullMQ has no listener for it, so Node would throw it and end this process: say it, fail the init.
      // The listener stays for the child's life, since nothing else ever listens to its 'error'.
      this.on('error', (err: Error) => {
        notice(`sandboxed child ${this.childProcess?.pid ?? '(not started)'}: ${err.message}`);
        reject(new Error(`the sandboxed child could not be started or reached: ${err.message}`));
      });
      initChild
        .call(this)
        .then(resolve, (err: unknown) => {
          // BullMQ's own wait for the child's answer may be left behind, rejecting later on the child's 'close'
          // with no one to handle it (which ends this process too): the pool drops this child, so drop that wait.
          this.removeAllListeners('close');
          reject(err);
        })
        .finally(() => this.off('exit', onExit));
    });
  };
}
