import { fileURLToPath } from 'node:url';

export { trainerHandlers } from './handlers.js';
export { loadTrainingData, type TrainingData } from './load.js';

/** Module path of the sandboxed processor for the `training` queue. */
export const trainerSandboxPath = fileURLToPath(new URL('./sandbox.js', import.meta.url));
