import { sandboxedProcessor } from '@bidfcl/runtime';
import { trainerHandlers } from './handlers.js';

/** Entry of the sandboxed child process that runs training jobs (CPU-bound: keeps lock renewal responsive). */
export default sandboxedProcessor(trainerHandlers);
