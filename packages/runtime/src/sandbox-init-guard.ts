import { Child } from 'bullmq';

let installed = false;

/**
 * Makes a sandboxed child that dies while it loads its processor fail the job, instead of hanging it for ever.
 *
 * Why: BullMQ (6.7.x) forks the child and waits for an "init completed" message, rejecting on the child's 'close'
 * event; but its own 'exit' handler, which always runs first, removes every listener of the child, including that
 * one. A child killed (kill -9, OOM) while it imports its processor (tfjs and the handlers take a second or more)
 * thus leaves the job active for ever: the live parent keeps renewing its lock, so no stall check ever frees it,
 * and a run waiting on it never ends. Found by the fault suite (issue 13, case (a)). This wrapper rejects the
 * init on the child's 'exit', which BullMQ emits before removing the listeners, so the job fails as an ordinary
 * crash and is retried. Installed once per process, by {@link startRoleWorkers} when a queue is sandboxed.
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
      initChild
        .call(this)
        .then(resolve, reject)
        .finally(() => this.off('exit', onExit));
    });
  };
}
