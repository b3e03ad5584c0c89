import {
  jobIds,
  keys,
  populationRequestSchema,
  populationSummarySchema,
  type PopulationRequest,
  type PopulationSummary,
} from '@bidfcl/contracts';
import { waitForJob as waitForQueueJob, type RuntimeContext } from '@bidfcl/runtime';
import { CliError } from '../cli-error.js';

/**
 * Waits for one allocation job to finish; its failure (after retries) is exit 1 with the reason. A parent fails
 * only with "child … failed": the reason given is then that of the first failed child in `children`.
 */
async function waitForJob(
  ctx: RuntimeContext,
  allocationId: string,
  jobId: string,
  children: () => string[],
): Promise<unknown> {
  const queue = ctx.queues.queue('allocation');
  const events = await ctx.queues.queueEvents('allocation');
  const job = await queue.getJob(jobId);
  if (!job) throw new CliError(`allocation ${allocationId}: job ${jobId} is not in the queue`);
  try {
    // Its events, and its state every few seconds: an event missed (a Redis restart, a loaded machine) is not waited
    // for in vain.
    return await waitForQueueJob(queue, events, job);
  } catch (err) {
    let reason = (err as Error).message;
    for (const id of children()) {
      const child = await queue.getJob(id);
      if (child && (await child.isFailed())) {
        reason = child.failedReason;
        break;
      }
    }
    throw new CliError(`allocation ${allocationId} failed: ${reason}`);
  }
}

/**
 * Waits for the allocation's two flows: the solve job (after every shard's scan), which enqueues the second
 * flow before it completes, then the finalize job. Prints progress when `verbose`; returns summary.json.
 */
export async function waitForAllocation(
  ctx: RuntimeContext,
  allocationId: string,
  verbose: boolean,
  known?: PopulationRequest,
): Promise<PopulationSummary> {
  const log = (s: string) => verbose && console.log(s);
  log('scanning shards and solving λ* …');
  // The request as enqueued: finalize (or a failure) deletes the staging prefix that holds request.json, so a
  // finished allocation answers with its summary.json.
  const summaryKey = keys.allocationSummary(allocationId);
  if (!known && (await ctx.store.exists(summaryKey)))
    return populationSummarySchema.parse(await ctx.store.getJson(summaryKey));
  const request = known ?? populationRequestSchema.parse(await ctx.store.getJson(keys.allocationRequest(allocationId)));
  const shards = (jobId: (id: string, s: number) => string) => () =>
    request.shards.map((_, s) => jobId(allocationId, s));
  const solveId = jobIds.allocateSolve(allocationId);
  const solved = (await waitForJob(ctx, allocationId, solveId, shards(jobIds.allocateScan))) as { lambda: number };
  log(`λ* = ${solved.lambda}; assigning arms …`);
  const summary = populationSummarySchema.parse(
    await waitForJob(ctx, allocationId, jobIds.allocateFinalize(allocationId), shards(jobIds.allocateAssign)),
  );
  if (verbose) {
    log(`users ${summary.users}, shards ${summary.shards}, λ* ${summary.lambda}`);
    log(`budget ${summary.budget}, predicted spend ${summary.predictedSpend}`);
    log(`predicted incremental revenue ${summary.predictedIncrementalRevenue} (against arm 0 for everyone)`);
    log(`arm mix: ${summary.armMix.map((a) => `${a.arm} ${(100 * a.share).toFixed(1)}%`).join(', ')}`);
    log(`decisions sha256 ${summary.sha256}`);
  }
  return summary;
}
