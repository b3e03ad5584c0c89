import { fileURLToPath } from 'node:url';

export { hypergradientHandlers } from './handlers.js';

/** Module path of the sandboxed processor for the `hypergrad` queue. */
export const hypergradientSandboxPath = fileURLToPath(new URL('./sandbox.js', import.meta.url));
