import { sandboxedProcessor } from '@bidfcl/runtime';
import { hypergradientHandlers } from './handlers.js';

/** Entry of the sandboxed child process that runs hypergradient jobs. */
export default sandboxedProcessor(hypergradientHandlers);
