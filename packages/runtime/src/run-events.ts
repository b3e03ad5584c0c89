import type { Redis } from 'ioredis';

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
  | { type: 'run'; status: 'succeeded' | 'failed'; error?: { stage: string; message: string } };

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
  const sub = redis.duplicate();
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
