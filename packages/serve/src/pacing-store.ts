import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { initialPacingState, stepPacing, tickOf, type PacingPlan, type PacingState } from '@bidfcl/core';

/** The pacing of one model as a replica reads it from Redis: plan, controller state, realised spend. */
export interface PacingView {
  planId: string;
  plan: PacingPlan;
  state: PacingState;
  /** The state exactly as stored: the compare-and-set of the next step compares against it. */
  stateJson: string;
  spend: number;
}

export type SpendOutcome = 'recorded' | 'duplicate' | 'conflict' | 'no-plan';

/** Event ids are kept two days: a retry of yesterday's event is still recognised as a duplicate. */
const EVENT_TTL_SECONDS = 2 * 86_400;
const LOG_LENGTH = 1000;

// Records a spend event once: SET NX of the event (idempotency) and the spend increment happen together or not
// at all, and only for the plan the client saw (a plan replaced meanwhile answers 'no-plan').
const RECORD_SPEND = `
if redis.call('hget', KEYS[1], 'planId') ~= ARGV[1] then return 'no-plan' end
local prev = redis.call('get', KEYS[2])
if prev then
  if prev == ARGV[3] then return 'duplicate' else return 'conflict' end
end
redis.call('set', KEYS[2], ARGV[3], 'EX', ARGV[4])
redis.call('hincrbyfloat', KEYS[1], 'spend', ARGV[2])
redis.call('publish', ARGV[5], ARGV[6])
return 'recorded'`;

// Replaces the controller state only if nobody replaced it since it was read: one λ per tick, whoever computes it.
const SET_STATE = `
if redis.call('hget', KEYS[1], 'state') ~= ARGV[1] then return 0 end
redis.call('hset', KEYS[1], 'state', ARGV[2])
if ARGV[3] ~= '' then
  redis.call('lpush', KEYS[2], ARGV[3])
  redis.call('ltrim', KEYS[2], 0, ${LOG_LENGTH - 1})
end
redis.call('publish', ARGV[4], ARGV[5])
return 1`;

/**
 * The shared pacing state of every replica, in Redis under `<prefix>:serve:pacing:<model>` (a hash: plan, planId,
 * state, spend), its events and its λ log. Any replica may take the next spend event.
 *
 * Each replica may keep a copy of each model's view ({@link PacingStore.followChanges}, docs/serving.md "Pacing
 * state cache"): every write (a new plan, a recorded spend, a controller step) publishes the model's name on
 * `<prefix>:serve:pacing-changed` in the same script or transaction as the write, and every replica drops its copy
 * when the message arrives. A decision then costs no Redis round trip while nothing changes, and is never answered
 * from a state older than the publication's delivery (sub-millisecond on a LAN). While the subscription is down
 * the copies are dropped and every read goes to Redis.
 */
export class PacingStore {
  readonly channel: string;
  private readonly cache = new Map<string, { view: PacingView | undefined }>();
  /** Per model, how many times its copy was dropped: a read that raced a drop is not kept. */
  private readonly drops = new Map<string, number>();
  private cacheLive = false;
  /** Called for every read of a view: from this replica's copy or from Redis (the service's /metrics). */
  onRead?: (source: 'cache' | 'redis') => void;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    this.channel = `${prefix}:serve:pacing-changed`;
  }

  /** Starts keeping copies, dropped on every change any replica publishes; `sub` is a connection of its own. */
  async followChanges(sub: Redis): Promise<void> {
    sub.on('message', (channel: string, model: string) => {
      if (channel === this.channel) this.drop(model);
    });
    const stop = () => {
      this.cacheLive = false;
      this.cache.clear();
    };
    // Copies are kept again only once the subscription is known to be in effect (after each reconnection).
    const start = () =>
      sub.subscribe(this.channel).then(
        () => (this.cacheLive = true),
        () => stop(),
      );
    sub.on('close', stop);
    sub.on('ready', () => void start());
    if (sub.status === 'ready') await start();
  }

  private drop(model: string): void {
    this.drops.set(model, (this.drops.get(model) ?? 0) + 1);
    this.cache.delete(model);
  }

  /** The view of `model`: this replica's copy when it holds a valid one, else read from Redis (and kept). */
  async readCached(model: string): Promise<PacingView | undefined> {
    const hit = this.cacheLive ? this.cache.get(model) : undefined;
    if (hit) {
      this.onRead?.('cache');
      return hit.view;
    }
    const drops = this.drops.get(model) ?? 0;
    const view = await this.read(model);
    if (this.cacheLive && (this.drops.get(model) ?? 0) === drops) this.cache.set(model, { view });
    return view;
  }

  private key = (model: string) => `${this.prefix}:serve:pacing:${model}`;
  private logKey = (model: string, planId: string) => `${this.key(model)}:${planId}:lambda-log`;
  private eventKey = (model: string, planId: string, id: string) => `${this.key(model)}:${planId}:event:${id}`;

  /** Starts a plan (replacing any): λ0, nothing spent. */
  async setPlan(model: string, plan: PacingPlan): Promise<PacingView> {
    const planId = randomUUID();
    const state = initialPacingState(plan);
    const stateJson = JSON.stringify(state);
    await this.redis
      .multi()
      .del(this.key(model))
      .hset(this.key(model), { planId, plan: JSON.stringify(plan), state: stateJson, spend: '0' })
      .publish(this.channel, model)
      .exec();
    this.drop(model);
    return { planId, plan, state, stateJson, spend: 0 };
  }

  /** The view of `model` read from Redis. */
  async read(model: string): Promise<PacingView | undefined> {
    this.onRead?.('redis');
    const h = await this.redis.hgetall(this.key(model));
    if (!h.planId || !h.plan || !h.state) return undefined;
    return {
      planId: h.planId,
      plan: JSON.parse(h.plan) as PacingPlan,
      state: JSON.parse(h.state) as PacingState,
      stateJson: h.state,
      spend: Number(h.spend ?? 0),
    };
  }

  async recordSpend(model: string, planId: string, eventId: string, amount: number, event: string) {
    const keys = [this.key(model), this.eventKey(model, planId, eventId)];
    const args = [planId, String(amount), event, String(EVENT_TTL_SECONDS), this.channel, model];
    const outcome = (await this.redis.eval(RECORD_SPEND, 2, ...keys, ...args)) as SpendOutcome;
    if (outcome === 'recorded') this.drop(model);
    return outcome;
  }

  /**
   * Moves the controller to the tick of `now` if it is behind (docs/method.md §8). Returns the view to answer
   * with and, when this call made the step, the new state (to log). A replica that loses the race re-reads.
   */
  async advance(model: string, view: PacingView, now: number): Promise<{ view: PacingView; stepped?: PacingState }> {
    const tick = tickOf(view.plan, now);
    if (tick <= view.state.tick) return { view };
    const next = stepPacing(view.plan, view.state, view.spend, tick);
    const nextJson = JSON.stringify(next);
    // Only a change of λ (or the hard stop) is a λ-log entry: a fixed plan's ticks move without one.
    const changed = next.lambda !== view.state.lambda || next.exhausted !== view.state.exhausted;
    const entry = changed ? JSON.stringify({ at: new Date(now).toISOString(), ...next }) : '';
    const done = await this.redis.eval(
      SET_STATE,
      2,
      this.key(model),
      this.logKey(model, view.planId),
      view.stateJson,
      nextJson,
      entry,
      this.channel,
      model,
    );
    this.drop(model);
    if (done === 1)
      return { view: { ...view, state: next, stateJson: nextJson }, ...(changed ? { stepped: next } : {}) };
    const fresh = await this.read(model);
    return { view: fresh ?? view };
  }

  /** The newest λ changes first (at most `limit`). */
  async lambdaLog(model: string, planId: string, limit = 100): Promise<unknown[]> {
    const raw = await this.redis.lrange(this.logKey(model, planId), 0, limit - 1);
    return raw.map((s) => JSON.parse(s) as unknown);
  }
}
