// `down`: works from the project NAME and the engine's labels alone, so a broken or deleted spec
// never keeps a project from being removed. A spec, when it loads, only adds knowledge: which
// containers are orphans and which volumes are the project's.
import type { Project } from '../model/types.js';
import { observe } from '../observe/observed-state.js';
import { planDown, type PlanDownOptions } from '../plan/down.js';
import type { Plan } from '../plan/types.js';
import { applyPlan, type OpResult, type OpsOptions } from './context.js';

export interface DownOptions extends OpsOptions {
  projectName: string;
  /** The loaded spec, when it loads: orphans are told apart and `-v` removes only its volumes. */
  project?: Project;
  /** `-v`: named volumes of the project and anonymous volumes of its containers. */
  removeVolumes?: boolean;
  removeOrphans?: boolean;
  /** `--rmi` */
  rmi?: 'all' | 'local';
  /** Stop timeout in seconds; default: each container's own. */
  timeout?: number;
  /** Only these services' containers (networks and volumes are then kept). */
  services?: string[];
  dryRun?: boolean;
}

export type DownResult = OpResult<Plan>;

/**
 * Stops (dependents first, from the depends_on labels), then removes containers, then networks,
 * then (with removeVolumes) volumes. Throws ApplyFailedError after everything possible ran.
 */
export async function down(options: DownOptions): Promise<DownResult> {
  const observed = await observe(options.engine, options.projectName);
  const plan = planDown(observed, downPlanOptions(options));
  const warnings = [...plan.warnings];
  if (options.dryRun) return { plan, warnings };
  const result = await applyPlan(plan, options, { warnings });
  warnings.push(...result.warnings);
  return { plan, result, warnings };
}

function downPlanOptions(options: DownOptions): PlanDownOptions {
  const out: PlanDownOptions = {};
  if (options.removeVolumes) out.removeVolumes = true;
  if (options.removeOrphans) out.removeOrphans = true;
  if (options.rmi) out.rmi = options.rmi;
  if (options.timeout !== undefined) out.timeout = options.timeout;
  if (options.services && options.services.length > 0) out.services = options.services;
  const project = options.project;
  if (project) {
    out.knownServices = [...Object.keys(project.services), ...Object.keys(project.disabledServices)];
    out.projectVolumes = Object.values(project.volumes)
      .filter((v) => !v.external)
      .map((v) => v.name);
  }
  return out;
}
