import { describe, expect, test } from 'vitest';
import { ROLE_NAMES, type Role } from '@bidfcl/contracts';
import {
  noWorkerMessage,
  queuesWithPendingJobs,
  roleOfQueue,
  rolesWithoutWorkers,
  workerName,
  type LiveWorkers,
  type QueueDepths,
} from './worker-presence.js';

const live = (byRole: Partial<Record<Role, string[]>>): LiveWorkers => ({
  known: true,
  byRole: Object.fromEntries(ROLE_NAMES.map((r) => [r, byRole[r] ?? []])) as Record<Role, string[]>,
});

describe('who serves which queue', () => {
  test('each queue belongs to the role that consumes it', () => {
    expect(roleOfQueue('runs')).toBe('feature-builder');
    expect(roleOfQueue('features')).toBe('feature-builder');
    expect(roleOfQueue('hypergrad')).toBe('hypergradient');
    expect(roleOfQueue('evaluation')).toBe('evaluator');
  });

  test('roles with pending work and no worker, each once', () => {
    const w = live({ 'observational-trainer': ['observational-trainer@h/1'] });
    expect(rolesWithoutWorkers(['features', 'runs', 'training', 'allocation'], w)).toEqual([
      'feature-builder',
      'allocator',
    ]);
    expect(rolesWithoutWorkers([], w)).toEqual([]);
  });

  test('when Redis will not say who is connected, no role is claimed to be unserved', () => {
    expect(rolesWithoutWorkers(['features'], { known: false, reason: 'CLIENT LIST refused' })).toEqual([]);
  });

  test('pending means waiting or delayed (a retry to come); active and failed jobs need no new worker', () => {
    const zero = { waiting: 0, active: 0, delayed: 0, failed: 0 };
    const depths = {
      runs: zero,
      features: { ...zero, waiting: 2 },
      training: { ...zero, active: 1, failed: 4 },
      hypergrad: { ...zero, delayed: 1 },
      allocation: zero,
      evaluation: zero,
    } satisfies QueueDepths;
    expect(queuesWithPendingJobs(depths)).toEqual(['features', 'hypergrad']);
  });

  test('the message names the role and the command that starts it; worker names carry role, host and pid', () => {
    expect(noWorkerMessage('allocator')).toBe(
      'waiting: no allocator worker is running (start one: bidfcl worker allocator)',
    );
    expect(workerName('evaluator', 'node-1', 42)).toBe('evaluator@node-1/42');
    expect(workerName('evaluator', 'odd host', 42)).toBe('evaluator@odd_host/42');
  });
});
