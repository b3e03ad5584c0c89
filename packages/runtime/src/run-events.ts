import { Redis } from 'ioredis';
import { quietRedisErrors, tlsOptions } from './connection.js';

/** What a run's channel carries: stage transitions, job progress, and the run's final status. */
export interface StageEvent {
  type: 'stage';
  stage: string;
  /** 'stalled': the job's worker died; the job is back in its queue until a worker picks it up again. */
  status: 'running' | 'succeeded' | 'failed' | 'retrying' | 'stalled';
  seconds?: number;
  error?: string;
}
export type RunEvent =
  | StageEvent
  | { type: 'progress'; stage: string; progress: unknown }
  /** A job waits for a dependency to come back (the store during an outage): `message` says what and until when. */
  | { type: 'waiting'; stage: string; message: string }
  | { type: 'run'; status: 'succeeded' | 'failed' | 'cancelled'; error?: { stage: string; message: string } };

export const runChannel = (prefix: string, runId: string) => `${prefix}:run-events:${runId}`;

export async function publishRunEvent(redis: Redis, prefix: string, runId: string, event: RunEvent): Promise<void> {
  await redis.publish(runChannel(prefix, runId), JSON.stringify(event));
}

/**
 * Subscribes to a run's events on a dedicated connection (a subscribed ioredis connection can do nothing else).
 * Resolves once the subscription is active, so a caller can subscribe, then check the current state, and miss nothing.
 */
export async function subscribeRunEvents(
  redis: Redis,
  prefix: string,
  runId: string,
  onEvent: (e: RunEvent) => void,
): Promise<() => Promise<void>> {
  const sub = quietRedisErrors(redis.duplicate(), 'run events');
  const channel = runChannel(prefix, runId);
  sub.on('message', (ch: string, msg: string) => {
    if (ch !== channel) return;
    try {
      onEvent(JSON.parse(msg) as RunEvent);
    } catch {
      /* a malformed message is not ours to act on */
    }
  });
  await sub.subscribe(channel);
  return async () => {
    await sub.unsubscribe(channel).catch(() => undefined);
    sub.disconnect();
  };
}

/** Set while a run is cancelled (run-cancel.ts): workers check it before and during each of the run's jobs. */
export const runCancelledKey = (prefix: string, runId: string) => `${prefix}:run-cancelled:${runId}`;

/** Where the latest 'waiting' notice of a run is kept (briefly) for `bidfcl status`. */
export const runNoticeKey = (prefix: string, runId: string) => `${prefix}:run-notice:${runId}`;

/**
 * The latest 'waiting' notice of a run (a job waiting for the store), if Redis answers within a second: `bidfcl
 * status` needs no Redis otherwise, and must not hang on one.
 */
export async function readRunNotice(redisUrl: string | undefined, prefix: string, runId: string, caFile?: string) {
  const url = redisUrl ?? 'redis://127.0.0.1:6379';
  const r = new Redis(url, {
    ...tlsOptions(url, caFile),
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1000,
  });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return (await r.get(runNoticeKey(prefix, runId))) ?? undefined;
  } catch {
    return undefined;
  } finally {
    r.disconnect();
  }
}
