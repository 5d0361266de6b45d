// `up` (and `create`, `scale`): observe -> plan -> apply, then optionally wait until ready.
// The planner decides everything; this file only picks its inputs and runs its output.
import { buildGraph } from '../graph/graph.js';
import type { ObservedContainer } from '../engine/engine.js';
import type { Project } from '../model/types.js';
import { observe } from '../observe/observed-state.js';
import { planUp, type PlanUpOptions } from '../plan/planner.js';
import type { Plan } from '../plan/types.js';
import { applyPlan, completingServices, waitUntilReady, type OpResult, type OpsOptions } from './context.js';
import { imagesBeforeUp } from './build.js';
import { systemClock } from '../apply/wait.js';

/** The flags `up` hands to the planner as they are (documented there). */
type PlannerFlags = Pick<PlanUpOptions, 'forceRecreate' | 'noRecreate' | 'alwaysRecreateDeps' | 'noStart' | 'removeOrphans' | 'scale' | 'build' | 'timeout' | 'environmentFiles'>;

export interface UpOptions extends OpsOptions, PlannerFlags {
  project: Project;
  /** Services to bring up (with their dependencies unless noDeps); default: all active services. */
  services?: string[];
  noDeps?: boolean;
  /** `--wait`: once applied, wait until the selected containers are running (and healthy when they have a healthcheck). */
  wait?: boolean;
  /** Seconds; default: no limit. */
  waitTimeout?: number;
  /** Plan only: nothing is changed (observing reads the engine). */
  dryRun?: boolean;
}

export interface UpResult extends OpResult<Plan> {
  /** The project's containers as observed before planning (one-offs included): what a no-op left as it was. */
  observed?: readonly ObservedContainer[];
}

/**
 * Converges the project. Failures do not stop unrelated services: once everything that can run
 * has run, a failure is thrown as ApplyFailedError (code SERVICE_FAILED) naming each failed
 * resource with the engine's message; its `result` and `warnings` hold the rest.
 */
export async function up(options: UpOptions): Promise<UpResult> {
  const selected = selectServices(options.project, options.services, options.noDeps ?? false);
  // Builds and pulls that do not depend on the containers' state happen first (core/ops/build.ts).
  const project = options.dryRun ? options.project : await imagesBeforeUp({ ...options, ...(selected ? { services: selected } : {}) });
  const observed = await observe(options.engine, project.name, {
    images: true,
    externalNetworks: Object.values(project.networks).filter((n) => n.external).map((n) => n.name),
    externalVolumes: Object.values(project.volumes).filter((v) => v.external).map((v) => v.name),
  });
  const plan = planUp({ project, observed, options: { ...planOptions(options, selected), ...(options.dryRun ? {} : { build: false }) } });
  const warnings = [...plan.warnings];
  if (options.dryRun) return { plan, warnings, observed: observed.containers };

  const result = await applyPlan(plan, options, { project, warnings });
  warnings.push(...result.warnings);
  if (options.wait && !options.noStart) {
    await waitUntilReady(options, {
      projectName: project.name,
      services: selected ?? Object.keys(project.services),
      mayComplete: completingServices(project),
      ...(options.waitTimeout !== undefined ? { timeoutSeconds: options.waitTimeout } : {}),
    });
  }
  return { plan, result, warnings, observed: observed.containers };
}

/** Named services plus what they need (unless noDeps); unknown names pass through for the planner to report. */
function selectServices(project: Project, names: string[] | undefined, noDeps: boolean): string[] | undefined {
  if (names === undefined || names.length === 0) return undefined;
  if (noDeps) return [...new Set(names)];
  const known = names.filter((name) => project.services[name] !== undefined);
  const unknown = names.filter((name) => project.services[name] === undefined);
  return [...buildGraph(project).closure(known), ...unknown];
}

function planOptions(options: UpOptions, selected: string[] | undefined): PlanUpOptions {
  const out: PlanUpOptions = {};
  if (selected !== undefined) {
    out.services = selected;
    out.targets = [...new Set(options.services ?? [])];
  }
  if (options.forceRecreate) out.forceRecreate = true;
  if (options.noRecreate) out.noRecreate = true;
  if (options.alwaysRecreateDeps) out.alwaysRecreateDeps = true;
  if (options.noStart) out.noStart = true;
  if (options.removeOrphans) out.removeOrphans = true;
  if (options.scale) out.scale = options.scale;
  if (options.build) out.build = true;
  if (options.timeout !== undefined) out.timeout = options.timeout;
  if (options.environmentFiles) out.environmentFiles = options.environmentFiles;
  // The planner is pure: pull_policy daily/weekly/every_<d> compare image ages with this clock.
  out.nowMs = (options.clock ?? systemClock).now();
  return out;
}

export type CreateOptions = Omit<UpOptions, 'noStart' | 'wait' | 'waitTimeout'>;

/** `create`: `up --no-start`. */
export function create(options: CreateOptions): Promise<UpResult> {
  return up({ ...options, noStart: true });
}

export interface ScaleOptions extends Omit<UpOptions, 'scale' | 'services' | 'noRecreate' | 'forceRecreate'> {
  /** Service -> wanted number of containers. */
  scale: Record<string, number>;
}

/** `scale svc=n`: add or remove replicas of the named services; nothing that exists is recreated. */
export function scale(options: ScaleOptions): Promise<UpResult> {
  return up({ ...options, services: Object.keys(options.scale), noRecreate: true });
}
