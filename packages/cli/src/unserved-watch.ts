import type { Role } from '@bidfcl/contracts';
import { RUN_POLL_MS, noWorkerMessage, runWaitsOnMissingWorkers, type RuntimeContext } from '@bidfcl/runtime';

/**
 * While `run --wait` waits: looks now and every `everyMs` for jobs of the run that no live worker can take, and
 * says so once per role (with no worker running, the command used to print "enqueued" and then nothing). Returns
 * a function that stops looking. A failed look (Redis away a moment) is skipped: waitForRun reports outages.
 */
export function watchUnservedRoles(
  ctx: RuntimeContext,
  runId: string,
  say: (line: string) => void,
  everyMs = RUN_POLL_MS,
  /** Called after each look (tests wait on it instead of sleeping). */
  afterLook?: () => void,
): () => void {
  const said = new Set<Role>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const look = async () => {
    try {
      const { roles } = await runWaitsOnMissingWorkers(ctx, runId);
      for (const role of roles)
        if (!stopped && !said.has(role)) {
          said.add(role);
          say(noWorkerMessage(role));
        }
    } catch {
      /* looked again at the next tick */
    }
    afterLook?.();
    if (!stopped) timer = setTimeout(() => void look(), everyMs);
  };
  void look();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
