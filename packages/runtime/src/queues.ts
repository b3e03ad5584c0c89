import { FlowProducer, Queue, QueueEvents, type FlowJob, type JobsOptions } from 'bullmq';
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
      const connection = this.connection.duplicate();
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
   * the id of a job that finished already answers at once with what it returned.
   */
  async enqueueAndWait<N extends JobName>(name: N, payload: JobPayloadInput<N>, jobId: string): Promise<JobResult<N>> {
    // Listening before adding, so that a job finishing at once is not missed.
    const events = await this.queueEvents(JOBS[name].queue);
    const job = await this.enqueue(name, payload, jobId);
    return parseJobResult(name, job.id ?? jobId, await job.waitUntilFinished(events));
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
