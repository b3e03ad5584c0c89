import { FlowProducer, Job, Queue, QueueEvents, type FlowJob, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  JOBS,
  formatZodError,
  type JobName,
  type JobPayloadInput,
  type JobResult,
  type QueueName,
} from '@bidfcl/contracts';
import { DEFAULT_MAX_PAYLOAD_BYTES } from './env.js';
import { quietRedisErrors } from './connection.js';
import { PermanentJobError } from './errors.js';
import { parseJobResult } from './job-result.js';

/** Retry policy and housekeeping for a catalog job; the job id makes enqueueing idempotent. */
export function jobOptions(name: JobName, jobId: string): JobsOptions {
  const { retry } = JOBS[name];
  return {
    jobId,
    attempts: retry.attempts,
    backoff: { type: 'exponential', delay: retry.backoffMs },
    removeOnComplete: { age: 7 * 24 * 3600, count: 10000 },
    removeOnFail: { age: 30 * 24 * 3600 },
  };
}

/**
 * Validates a payload against the catalog and its size against `maxBytes` (JSON, UTF-8): a bad or oversized
 * payload never reaches Redis, whose memory every queued job shares.
 */
export function parsePayload<N extends JobName>(
  name: N,
  payload: JobPayloadInput<N>,
  maxBytes = DEFAULT_MAX_PAYLOAD_BYTES,
): unknown {
  const parsed = JOBS[name].payload.safeParse(payload);
  if (!parsed.success) throw new PermanentJobError(`invalid payload for ${name}:\n${formatZodError(parsed.error)}`);
  const bytes = Buffer.byteLength(JSON.stringify(parsed.data), 'utf8');
  if (bytes > maxBytes)
    throw new PermanentJobError(
      `payload of ${name} is ${bytes} bytes, above BIDFCL_MAX_PAYLOAD_BYTES=${maxBytes}: put large data in the store`,
    );
  return parsed.data;
}

/** How often a waiter looks at the job itself, besides listening for its events (see waitForJob). */
export const JOB_POLL_MS = 5000;

/**
 * The job vanished from Redis while someone waited for it: Redis lost its data (flushed, or restarted without
 * persistence). No event will ever come, so the waiter must give up rather than block its worker for ever.
 */
export class JobVanishedError extends PermanentJobError {
  constructor(queue: QueueName, jobId: string) {
    super(
      `job ${jobId} (queue '${queue}') no longer exists in Redis: Redis lost its data (flushed, or restarted ` +
        'without persistence); the run lost its jobs — submit it again with the same run id to resume it',
    );
    this.name = 'JobVanishedError';
  }
}

/**
 * Waits for a job to finish: its completed/failed event, or, every `pollMs`, its state read from Redis. The event
 * alone is not enough: an event published while the waiter's connection was down (a Redis restart) is never seen,
 * and a job that vanished with Redis's data sends none (issue 13, item 3: a trainer's child waited for ever on a
 * hypergradient job that no longer existed).
 */
export async function waitForJob(queue: Queue, events: QueueEvents, job: Job, pollMs = JOB_POLL_MS): Promise<unknown> {
  const jobId = job.id!;
  let timer: NodeJS.Timeout | undefined;
  let stop = false;
  const polled = new Promise<unknown>((resolve, reject) => {
    const check = async () => {
      if (stop) return;
      try {
        const current = await Job.fromId(queue, jobId);
        if (!current) return reject(new JobVanishedError(queue.name as QueueName, jobId));
        const state = await current.getState();
        if (state === 'completed') return resolve(current.returnvalue);
        if (state === 'failed') return reject(new Error(current.failedReason));
        if (state === 'unknown') return reject(new JobVanishedError(queue.name as QueueName, jobId));
      } catch {
        /* Redis unreachable for a moment: look again at the next tick */
      }
      if (!stop) timer = setTimeout(() => void check(), pollMs);
    };
    timer = setTimeout(() => void check(), pollMs);
  });
  try {
    return await Promise.race([job.waitUntilFinished(events), polled]);
  } finally {
    stop = true;
    clearTimeout(timer);
  }
}

/** A node of a flow: a catalog job with its children (children finish before their parent starts). */
export interface FlowNode {
  name: JobName;
  jobId: string;
  payload: unknown;
  children?: FlowNode[];
}

/** Lazily created queues, queue events and a flow producer sharing one prefix and one connection. */
export class Queues {
  private readonly queues = new Map<QueueName, Queue>();
  private readonly events = new Map<QueueName, QueueEvents>();
  private flow: FlowProducer | undefined;
  private readonly blocking: Redis[] = [];

  constructor(
    private readonly connection: Redis,
    readonly prefix: string,
    private readonly maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES,
  ) {}

  queue(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.connection, prefix: this.prefix });
      this.queues.set(name, q);
    }
    return q;
  }

  /** QueueEvents for waiting on jobs of a queue (its own blocking connection). */
  async queueEvents(name: QueueName): Promise<QueueEvents> {
    let e = this.events.get(name);
    if (!e) {
      const connection = quietRedisErrors(this.connection.duplicate(), `queue events (${name})`);
      this.blocking.push(connection);
      e = new QueueEvents(name, { connection, prefix: this.prefix });
      this.events.set(name, e);
      await e.waitUntilReady();
    }
    return e;
  }

  /** Adds one catalog job; the same job id twice is a no-op (BullMQ keeps the first). */
  async enqueue<N extends JobName>(name: N, payload: JobPayloadInput<N>, jobId: string) {
    const data = parsePayload(name, payload, this.maxPayloadBytes);
    return this.queue(JOBS[name].queue).add(name, data, jobOptions(name, jobId));
  }

  /**
   * Adds one catalog job (as {@link enqueue}) and waits until it finishes: resolves with its result, checked
   * against the catalog's result schema, or rejects with its failure once no retry follows. Asking again with
   * the id of a job that finished already answers at once with what it returned. With `onBehalfOf` (the job
   * asking), fails with {@link JobVanishedError} when that job is gone from Redis.
   */
  async enqueueAndWait<N extends JobName>(
    name: N,
    payload: JobPayloadInput<N>,
    jobId: string,
    onBehalfOf?: { queue: QueueName; jobId: string },
  ): Promise<JobResult<N>> {
    return (await this.enqueueForResult(name, payload, jobId, onBehalfOf))();
  }

  /**
   * {@link enqueueAndWait} in two phases: resolves once the job is enqueued, with a function that waits for its
   * result. A caller that computes synchronously meanwhile knows its job has left.
   */
  async enqueueForResult<N extends JobName>(
    name: N,
    payload: JobPayloadInput<N>,
    jobId: string,
    onBehalfOf?: { queue: QueueName; jobId: string },
  ): Promise<() => Promise<JobResult<N>>> {
    // A step asked for by a job that Redis no longer holds (its data flushed, or lost in a restart without
    // persistence) would be computed for nobody, and keep that job's orphaned process busy: refuse it.
    if (onBehalfOf && !(await Job.fromId(this.queue(onBehalfOf.queue), onBehalfOf.jobId)))
      throw new JobVanishedError(onBehalfOf.queue, onBehalfOf.jobId);
    // Listening before adding, so that a job finishing at once is not missed.
    const events = await this.queueEvents(JOBS[name].queue);
    const job = await this.enqueue(name, payload, jobId);
    const result = waitForJob(this.queue(JOBS[name].queue), events, job);
    result.catch(() => undefined); // rethrown to the caller when it waits
    return async () => parseJobResult(name, job.id ?? jobId, await result);
  }

  /** Adds a tree of catalog jobs as one BullMQ flow. A failed child fails its parent. */
  async addFlow(root: FlowNode) {
    this.flow ??= new FlowProducer({ connection: this.connection, prefix: this.prefix });
    const toFlowJob = (node: FlowNode, isChild: boolean): FlowJob => ({
      name: node.name,
      queueName: JOBS[node.name].queue,
      data: parsePayload(node.name, node.payload as never, this.maxPayloadBytes),
      opts: { ...jobOptions(node.name, node.jobId), ...(isChild ? { failParentOnFailure: true } : {}) },
      ...(node.children?.length ? { children: node.children.map((c) => toFlowJob(c, true)) } : {}),
    });
    return this.flow.add(toFlowJob(root, false));
  }

  async close(): Promise<void> {
    await Promise.all([...this.events.values()].map((e) => e.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    await this.flow?.close();
    for (const c of this.blocking.splice(0)) c.disconnect();
    this.events.clear();
    this.queues.clear();
  }
}
