export { main, USAGE } from './main.js';
export { allHandlers, startAllRoles, startRole } from './cluster.js';
export { loadRunConfigFile } from './config-file.js';
export { runToCompletion } from './local-run.js';
export { writeSimulatedDataset, simulatedDatasetSpec, type DatasetTarget } from './simulated-dataset.js';
export { CliError } from './cli-error.js';
