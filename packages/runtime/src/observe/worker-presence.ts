import { ROLES, ROLE_NAMES, QUEUES, type QueueName, type Role } from '@bidfcl/contracts';
import type { Queues } from '../queues.js';
import { DEPTH_STATES } from './worker-metrics.js';

export type QueueDepths = Record<QueueName, Record<(typeof DEPTH_STATES)[number], number>>;

/** Workers per role as Redis sees them, or why that cannot be known (a Redis that refuses CLIENT LIST). */
export type LiveWorkers = { known: true; byRole: Record<Role, string[]> } | { known: false; reason: string };

/** How a worker process names its Redis clients, so that `bidfcl status` can say who serves a role. */
export function workerName(role: Role, host: string, pid: number): string {
  // CLIENT SETNAME refuses spaces; a host name has none, but be safe with odd container names.
  return `${role}@${host}/${pid}`.replace(/\s/g, '_');
}

/** The role that consumes a queue (each queue has exactly one: contracts' ROLES). */
export function roleOfQueue(queue: QueueName): Role {
  return ROLE_NAMES.find((r) => (ROLES[r] as readonly QueueName[]).includes(queue))!;
}

export async function queueDepths(queues: Queues): Promise<QueueDepths> {
  const counts = await Promise.all(QUEUES.map((q) => queues.queue(q).getJobCounts(...DEPTH_STATES)));
  return Object.fromEntries(
    QUEUES.map((q, i) => [q, Object.fromEntries(DEPTH_STATES.map((s) => [s, counts[i]![s] ?? 0]))]),
  ) as QueueDepths;
}

/** How BullMQ answers when Redis refuses CLIENT LIST (managed services): a made-up client named after it. */
const REFUSED = /does not support|unknown command|NOPERM|not allowed/i;

/**
 * The worker processes serving each role: BullMQ lists the clients connected to a queue (CLIENT LIST), each
 * named after its worker (see startRoleWorkers: `<role>@<host>/<pid>`), so a process with two queues counts once.
 */
export async function liveWorkers(queues: Queues): Promise<LiveWorkers> {
  const byRole = Object.fromEntries(ROLE_NAMES.map((r) => [r, [] as string[]])) as Record<Role, string[]>;
  try {
    for (const queue of QUEUES) {
      const clients = await queues.queue(queue).getWorkers();
      const refused = clients.find((c) => REFUSED.test(c.name ?? ''));
      if (refused) return { known: false, reason: refused.name ?? 'CLIENT LIST refused' };
      const names = byRole[roleOfQueue(queue)];
      for (const c of clients) {
        // BullMQ puts the queue's name in `name` and the client's own in `rawname`.
        const raw = (c as { rawname?: string }).rawname ?? '';
        const name = raw.split(':w:')[1] ?? `unnamed ${c.addr ?? ''}`.trim();
        if (!names.includes(name)) names.push(name);
      }
    }
  } catch (err) {
    if (!REFUSED.test((err as Error).message)) throw err;
    return { known: false, reason: (err as Error).message };
  }
  return { known: true, byRole };
}

/** Roles that have jobs to take (waiting or delayed) in `queues` and no live worker. */
export function rolesWithoutWorkers(pending: readonly QueueName[], live: LiveWorkers): Role[] {
  if (!live.known) return [];
  const roles = new Set(pending.map(roleOfQueue));
  return [...roles].filter((r) => live.byRole[r].length === 0);
}

/** What a person reads when nothing will move a run on: which worker to start, and how. */
export function noWorkerMessage(role: Role): string {
  return `waiting: no ${role} worker is running (start one: bidfcl worker ${role})`;
}

/** Queues with work that no process has taken yet (waiting, or delayed before a retry). */
export function queuesWithPendingJobs(depths: QueueDepths): QueueName[] {
  return QUEUES.filter((q) => depths[q].waiting + depths[q].delayed > 0);
}
