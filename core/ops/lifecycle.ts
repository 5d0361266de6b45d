// start, stop, restart, kill, pause, unpause, rm: by project name (+ service names) and labels
// alone, like `down`. Order comes from the `com.docker.compose.depends_on` labels: starts and
// restarts go dependencies first, stops dependents first. Each builds a small plan and hands it
// to the same executor as `up`, so parallelism, progress and failure handling are the same.
import type { ObservedContainer } from '../engine/engine.js';
import type { DependsOnCondition, Project } from '../model/types.js';
import { unknownServiceError } from '../model/select.js';
import { LABEL_DEPENDS_ON, containerNumber, parseDependsOnLabel, serviceOf } from '../observe/labels.js';
import { dependencyOrder } from '../plan/dependencies.js';
import type { ContainerRef } from '../plan/types.js';
import type { ExecutableNode, ExecutableOperation } from '../apply/operations.js';
import type { ExecutablePlan } from '../apply/executor.js';
import { applyPlan, projectContainers, waitUntilReady, type OpResult, type OpsOptions } from './context.js';

export interface LifecycleOptions extends OpsOptions {
  projectName: string;
  /** Only these services; default: every service with containers. */
  services?: string[];
  /** When the spec loads: named services are checked against it (unknown names are an error). */
  project?: Project;
  /** Plan only. */
  dryRun?: boolean;
}

export type LifecycleResult = OpResult<ExecutablePlan>;

const RUNNING = new Set(['running', 'restarting', 'paused']);
const STOPPED = new Set(['created', 'exited', 'dead']);

export interface StartOptions extends LifecycleOptions {
  /** Wait until the started services are running/healthy. */
  wait?: boolean;
  /** Seconds. */
  waitTimeout?: number;
}

/** Starts stopped containers, dependencies first, honouring depends_on conditions from the labels. */
export async function start(options: StartOptions): Promise<LifecycleResult> {
  const view = await load(options, false);
  const b = new NodeList();
  const startNodes = new Map<string, string[]>();
  for (const service of view.order) {
    const deps = view.deps.get(service) ?? [];
    const after: string[] = [];
    for (const dep of deps) {
      if (!view.byService.has(dep.service)) continue;
      const depStarts = startNodes.get(dep.service) ?? [];
      const condition = asCondition(dep.condition);
      if (condition === 'service_started') {
        after.push(...depStarts);
        continue;
      }
      const id = `wait:${dep.service}:${condition}`;
      if (!b.has(id)) {
        b.add({
          id,
          op: { kind: 'wait-condition', service: dep.service, condition, containers: view.byService.get(dep.service)!.map((c) => c.name), required: true },
          resource: dep.service,
          cause: condition,
          dependsOn: depStarts,
        });
      }
      after.push(id);
    }
    const mine: string[] = [];
    for (const c of view.byService.get(service) ?? []) {
      if (!STOPPED.has(c.state)) continue;
      mine.push(b.add({ id: nodeId(c, 'start'), op: { kind: 'start-container', container: ref(c) }, resource: c.name, cause: c.state, dependsOn: after }));
    }
    startNodes.set(service, mine);
  }
  const out = await run(options, b, view.warnings);
  if (options.wait && !options.dryRun) {
    const mayComplete = new Set([...view.deps.values()].flat().filter((d) => d.condition === 'service_completed_successfully').map((d) => d.service));
    await waitUntilReady(options, {
      projectName: options.projectName,
      services: view.order,
      mayComplete,
      ...(options.waitTimeout !== undefined ? { timeoutSeconds: options.waitTimeout } : {}),
    });
  }
  return out;
}

export interface StopOptions extends LifecycleOptions {
  /** Seconds before the engine kills; default: each container's own stop timeout. */
  timeout?: number;
}

/** Stops running containers, dependents first. */
export async function stop(options: StopOptions): Promise<LifecycleResult> {
  const view = await load(options, true);
  const b = new NodeList();
  stopNodes(view, b, options.timeout);
  return run(options, b, view.warnings);
}

export interface RestartOptions extends LifecycleOptions {
  timeout?: number;
}

/** Restarts every container of the services (stopped ones start), dependencies first. Does not apply spec changes. */
export async function restart(options: RestartOptions): Promise<LifecycleResult> {
  const view = await load(options, false);
  const b = new NodeList();
  const done = new Map<string, string[]>();
  for (const service of view.order) {
    const after = (view.deps.get(service) ?? []).flatMap((d) => done.get(d.service) ?? []);
    const mine: string[] = [];
    for (const c of view.byService.get(service) ?? []) {
      if (c.state === 'removing' || c.state === 'dead') continue;
      const op: ExecutableOperation = { kind: 'restart-container', container: ref(c), ...(options.timeout !== undefined ? { timeoutSeconds: options.timeout } : {}) };
      mine.push(b.add({ id: nodeId(c, 'restart'), op, resource: c.name, cause: 'restart', dependsOn: after }));
    }
    done.set(service, mine);
  }
  return run(options, b, view.warnings);
}

export interface KillOptions extends LifecycleOptions {
  /** `-s`: the signal to send (`SIGTERM`, `HUP`, `9`); default SIGKILL. (`signal` is the AbortSignal.) */
  killSignal?: string;
}

/** Sends a signal to every running container of the services, all at once. */
export async function kill(options: KillOptions): Promise<LifecycleResult> {
  const view = await load(options, true);
  const signal = options.killSignal;
  return each(options, view, (c) => RUNNING.has(c.state), (c) => ({ kind: 'kill-container', container: ref(c), ...(signal !== undefined ? { signal } : {}) }), 'kill');
}

export async function pause(options: LifecycleOptions): Promise<LifecycleResult> {
  const view = await load(options, false);
  return each(options, view, (c) => c.state === 'running', (c) => ({ kind: 'pause-container', container: ref(c) }), 'pause');
}

export async function unpause(options: LifecycleOptions): Promise<LifecycleResult> {
  const view = await load(options, false);
  return each(options, view, (c) => c.state === 'paused', (c) => ({ kind: 'unpause-container', container: ref(c) }), 'unpause');
}

export interface RmOptions extends LifecycleOptions {
  /** `-f`: accepted for parity with Compose, where it only skips the confirmation; the API never asks. */
  force?: boolean;
  /** `-s`: stop running containers first (dependents first), then remove them too. */
  stopFirst?: boolean;
  /** `-v`: also remove the containers' anonymous volumes. */
  volumes?: boolean;
  timeout?: number;
}

/**
 * Removes stopped containers. Running ones are removed only with stopFirst, after a stop: a
 * forced removal of running containers leaks network endpoints on dockerd 20.10.
 */
export async function rm(options: RmOptions): Promise<LifecycleResult> {
  const view = await load(options, false);
  const b = new NodeList();
  const stops = options.stopFirst ? stopNodes(view, b, options.timeout) : new Map<string, string>();
  const left: string[] = [];
  for (const service of view.order) {
    for (const c of view.byService.get(service) ?? []) {
      const stopId = stops.get(c.id);
      if (!STOPPED.has(c.state) && stopId === undefined) {
        left.push(c.name);
        continue;
      }
      b.add({
        id: nodeId(c, 'remove'),
        op: { kind: 'remove-container', container: ref(c), removeAnonymousVolumes: options.volumes ?? false },
        resource: c.name,
        cause: 'rm',
        dependsOn: stopId ? [stopId] : [],
      });
    }
  }
  const warnings = [...view.warnings];
  if (left.length > 0) warnings.push(`running containers not removed (stop them first, or use --stop): ${left.join(', ')}`);
  return run(options, b, warnings);
}

// ---- helpers ----

interface ProjectView {
  /** Services with containers, dependencies first. */
  order: string[];
  byService: Map<string, ObservedContainer[]>;
  deps: Map<string, { service: string; condition: string }[]>;
  warnings: string[];
}

async function load(options: LifecycleOptions, oneOffs: boolean): Promise<ProjectView> {
  const warnings: string[] = [];
  const names = options.services && options.services.length > 0 ? [...new Set(options.services)] : undefined;
  if (names && options.project) {
    const known = [...Object.keys(options.project.services), ...Object.keys(options.project.disabledServices)];
    for (const name of names) if (!known.includes(name)) throw unknownServiceError(name, known);
  }
  const containers = await projectContainers(options.engine, options.projectName, { ...(names ? { services: names } : {}), oneOffs });
  const byService = new Map<string, ObservedContainer[]>();
  for (const c of containers) {
    const service = serviceOf(c.labels) ?? '';
    byService.set(service, [...(byService.get(service) ?? []), c]);
  }
  if (names) for (const name of names) if (!byService.has(name)) warnings.push(`service ${name} has no container`);
  const deps = new Map<string, { service: string; condition: string }[]>();
  for (const [service, list] of byService) {
    const merged = new Map<string, string>();
    for (const c of list) {
      for (const dep of parseDependsOnLabel(c.labels[LABEL_DEPENDS_ON])) {
        if (dep.service !== service && byService.has(dep.service) && !merged.has(dep.service)) merged.set(dep.service, dep.condition);
      }
    }
    deps.set(service, [...merged].map(([name, condition]) => ({ service: name, condition })));
  }
  const order = dependencyOrder([...byService.keys()], (s) => (deps.get(s) ?? []).map((d) => d.service));
  return { order, byService, deps, warnings };
}

/** Stop nodes for running containers, each after the stops of the services depending on it; container id -> node id. */
function stopNodes(view: ProjectView, b: NodeList, timeout: number | undefined): Map<string, string> {
  const byContainer = new Map<string, string>();
  const byService = new Map<string, string[]>();
  const dependents = new Map<string, string[]>();
  for (const [service, deps] of view.deps) for (const d of deps) dependents.set(d.service, [...(dependents.get(d.service) ?? []), service]);
  for (const service of [...view.order].reverse()) {
    const after = (dependents.get(service) ?? []).flatMap((d) => byService.get(d) ?? []);
    const mine: string[] = [];
    for (const c of view.byService.get(service) ?? []) {
      if (!RUNNING.has(c.state)) continue;
      const op: ExecutableOperation = { kind: 'stop-container', container: ref(c), ...(timeout !== undefined ? { timeoutSeconds: timeout } : {}) };
      const id = b.add({ id: nodeId(c, 'stop'), op, resource: c.name, cause: 'stop', dependsOn: after });
      mine.push(id);
      byContainer.set(c.id, id);
    }
    byService.set(service, mine);
  }
  return byContainer;
}

/** One independent node per matching container. */
function each(options: LifecycleOptions, view: ProjectView, when: (c: ObservedContainer) => boolean, op: (c: ObservedContainer) => ExecutableOperation, verb: string): Promise<LifecycleResult> {
  const b = new NodeList();
  for (const service of view.order) {
    for (const c of view.byService.get(service) ?? []) if (when(c)) b.add({ id: nodeId(c, verb), op: op(c), resource: c.name, cause: verb, dependsOn: [] });
  }
  return run(options, b, view.warnings);
}

async function run(options: LifecycleOptions, b: NodeList, warnings: string[]): Promise<LifecycleResult> {
  const plan: ExecutablePlan = { nodes: b.nodes };
  if (options.dryRun) return { plan, warnings };
  const result = await applyPlan(plan, options, { warnings });
  return { plan, result, warnings: [...warnings, ...result.warnings] };
}

/** A label written by another tool may hold anything: unknown conditions mean "started". */
function asCondition(value: string): DependsOnCondition {
  return value === 'service_healthy' || value === 'service_completed_successfully' ? value : 'service_started';
}

function ref(c: ObservedContainer): ContainerRef {
  const r: ContainerRef = { name: c.name, id: c.id, service: serviceOf(c.labels) ?? '' };
  const n = containerNumber(c.labels);
  if (n !== undefined) r.number = n;
  return r;
}

function nodeId(c: ObservedContainer, verb: string): string {
  return `container:${c.name}:${verb}`;
}

class NodeList {
  readonly nodes: ExecutableNode[] = [];
  private readonly ids = new Set<string>();
  has(id: string): boolean {
    return this.ids.has(id);
  }
  add(node: ExecutableNode): string {
    this.nodes.push({ ...node, dependsOn: [...new Set(node.dependsOn)] });
    this.ids.add(node.id);
    return node.id;
  }
}
