// The reconciler's operations as a typed API for programs; core/api.ts re-exports this barrel.
export { up, create, scale, type UpOptions, type UpResult, type CreateOptions, type ScaleOptions } from './up.js';
export { down, type DownOptions, type DownResult } from './down.js';
export {
  start,
  stop,
  restart,
  kill,
  pause,
  unpause,
  rm,
  type LifecycleOptions,
  type LifecycleResult,
  type StartOptions,
  type StopOptions,
  type RestartOptions,
  type KillOptions,
  type RmOptions,
} from './lifecycle.js';
export { parallelLimit, applyPlan, projectContainers, waitUntilReady, type OpsOptions, type OpResult, type WaitReadyInput } from './context.js';
export { ApplyFailedError, executePlan, DEFAULT_PARALLEL_LIMIT, type ExecuteOptions, type ExecuteResult, type NodeFailure, type SkippedNode, type ExecutablePlan } from '../apply/executor.js';
export type { ExecutableNode, ExecutableOperation, LifecycleOperation } from '../apply/operations.js';
export { systemClock, type Clock } from '../apply/wait.js';
export { watch, type WatchOptions, type WatchSession, type WatchReport } from './watch.js';
