import { ROLE_NAMES, type Role } from '@bidfcl/contracts';
import {
  startRoleWorkers,
  type JobHandlers,
  type RoleWorkerOptions,
  type RoleWorkers,
  type RuntimeContext,
} from '@bidfcl/runtime';
import { allocatorHandlers } from '@bidfcl/worker-allocator';
import { evaluatorHandlers } from '@bidfcl/worker-evaluator';
import { featureBuilderHandlers } from '@bidfcl/worker-feature-builder';
import { hypergradientHandlers, hypergradientSandboxPath } from '@bidfcl/worker-hypergradient';
import { populationHandlers } from '@bidfcl/worker-population';
import { trainerHandlers, trainerSandboxPath } from '@bidfcl/worker-observational-trainer';

/** Every job's handler: assembled here so that a missing one is a compile error. */
export const allHandlers: JobHandlers = {
  ...featureBuilderHandlers,
  ...trainerHandlers,
  ...hypergradientHandlers,
  ...allocatorHandlers,
  ...populationHandlers,
  ...evaluatorHandlers,
};

/** CPU-bound queues run in sandboxed child processes so lock renewal never stalls. */
const SANDBOXED: NonNullable<RoleWorkerOptions['sandboxed']> = {
  training: trainerSandboxPath,
  hypergrad: hypergradientSandboxPath,
};

export function startRole(
  ctx: RuntimeContext,
  role: Role,
  concurrency = 1,
  extra: Partial<RoleWorkerOptions> = {},
): RoleWorkers {
  return startRoleWorkers(ctx, role, { handlers: allHandlers, sandboxed: SANDBOXED, concurrency, ...extra });
}

/** All five roles in this process (the demo, the bench, tests): the same workers `bidfcl worker` starts. */
export function startAllRoles(
  ctx: RuntimeContext,
  concurrency = 1,
  extra: Partial<RoleWorkerOptions> = {},
): { roles: RoleWorkers[]; close(): Promise<void> } {
  const roles = ROLE_NAMES.map((r) => startRole(ctx, r, concurrency, extra));
  return { roles, close: async () => void (await Promise.all(roles.map((r) => r.close()))) };
}
