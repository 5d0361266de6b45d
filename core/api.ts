// The typed API of stack: one function per verb, options in, data out. The CLI (cli/commands/*)
// converts flags to these options and renders the results; programs can call the same functions.

export type { ProjectOptions, LoadedProject } from './project-loader.js';
export { loadProject, projectFromSpec } from './project-loader.js';
export type { LoadOptions, LoadedSpec } from './load/types.js';
export type { Project, Service, Network, Volume } from './model/types.js';
export * from './errors.js';
export type { ProgressEvent, EventSink } from './events.js';
export { silentSink, RecordingSink } from './events.js';
export { config, type ConfigOptions, type ConfigResult } from './ops/config.js';

// The reconciler's operations (up, down, start, stop...) and attached-mode following.
export * from './ops/index.js';
export { attach, attachTargets, type AttachOptions, type AttachSink, type AttachOutcome, type ContainerExit } from './ops/attach.js';
