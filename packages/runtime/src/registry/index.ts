export { RegistryError } from './registry-error.js';
export {
  assertModelName,
  parseModelRef,
  listModels,
  listVersions,
  readPointer,
  readVersion,
  readCurrentVersion,
  resolveModel,
} from './read.js';
export { nextVersion, versionCounterKey } from './version-number.js';
export { setCurrent, rollbackModel } from './pointer.js';
export { promoteModel } from './promote.js';
export type { PromoteRequest } from './promote.js';
export { publishCurrentAllocation, readCurrentAllocation } from './current-allocation.js';
