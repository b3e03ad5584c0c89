export { scanFlow, assignFlow } from './flow.js';
export { readUsersTable, userIdsOf, readShardUsers } from './users.js';
export type { UsersTable, EncodedUsers } from './users.js';
export { readShardScores } from './shard-scores.js';
export { decisionsSha256 } from './finalize.js';
export { planAllocation, splitRows, USERS_PER_SHARD } from './plan.js';
export type { AllocationPlan } from './plan.js';
