// `run SERVICE [CMD...]`: a one-off container of a service, named `<project>-<service>-run-<12hex>`
// and labelled oneoff=True with its slug, as Compose makes it. Before it is created, the planner's
// own plan for the service (networks, volumes, image, and unless `noDeps` the dependencies with
// their conditions) runs minus the service's own containers, so `run` shares `up`'s rules.
import { randomHex } from '../digests.js';
import { mkdir } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { ContainerSpec, Engine, StreamSession } from '../engine/engine.js';
import { buildGraph } from '../graph/graph.js';
import type { Project, Service, ServiceVolume } from '../model/types.js';
import { serviceConfig } from '../observe/hash.js';
import { containerLabels } from '../observe/labels.js';
import { observe } from '../observe/observed-state.js';
import { oneOffContainerName, serviceImage } from '../plan/naming.js';
import { planUp } from '../plan/planner.js';
import type { Operation, Plan } from '../plan/types.js';
import { toContainerSpec } from '../apply/container-spec.js';
import { copySpecFiles } from '../apply/copy-files.js';
import { applyPlan, type OpsOptions } from './context.js';
import { systemClock } from '../apply/wait.js';

export interface RunOptions extends OpsOptions {
  project: Project;
  service: string;
  /** Replaces the service's command. */
  command?: string[];
  /** `--entrypoint`, already split into words. */
  entrypoint?: string[];
  /** `-e KEY=VAL`, over the service's environment. */
  setEnv?: string[];
  /** `-v src:dst[:ro]`: extra bind mounts (or named volumes of the project). */
  volumes?: string[];
  workingDir?: string;
  user?: string;
  /** Container name instead of the generated one. */
  name?: string;
  /** Publish the service's ports (otherwise none, as Compose). */
  servicePorts?: boolean;
  tty: boolean;
  /** Attach stdin. */
  interactive: boolean;
  detach?: boolean;
  /** Remove the container when it exits. */
  rm?: boolean;
  noDeps?: boolean;
  /** Resolves relative `-v` sources. */
  cwd?: string;
  /** Called once dependencies, networks and the image are ready, before the container is made (to end a progress display). */
  onPrepared?: () => Promise<void> | void;
}

/** What shapes the one-off container (RunOptions without the engine and run-time settings). */
export type OneOffInput = Omit<RunOptions, keyof OpsOptions>;

export interface RunResult {
  id: string;
  name: string;
  slug: string;
  /** Undefined for a detached run. */
  exitCode?: number;
}

/** What the caller does with the attached streams; resolves when the container's output ends. */
export type AttachHandler = (session: StreamSession) => Promise<void>;

export async function run(options: RunOptions, attach?: AttachHandler): Promise<RunResult> {
  const { engine, project } = options;
  if (!project.services[options.service]) {
    throw new UsageError(`no such service: ${options.service}`, `services in this project: ${Object.keys(project.services).sort().join(', ')}`);
  }
  await prepare(options);
  await options.onPrepared?.();
  const slug = randomHex(32);
  const spec = oneOffSpec(options, slug);
  for (const path of spec.hostPathsToCreate ?? []) await mkdir(path, { recursive: true });
  const id = await engine.createContainer(spec);
  const result: RunResult = { id, name: spec.name, slug };
  let removeOnExit = options.rm === true && options.detach !== true;
  try {
    await copySpecFiles(engine, id, spec);
    if (options.detach) {
      await engine.startContainer(id);
      removeOnExit = false;
      return result;
    }
    const session = await engine.attachContainer(id, { stdin: options.interactive, tty: options.tty });
    const streaming = attach ? attach(session) : drain(session);
    await engine.startContainer(id);
    const onAbort = (): void => void engine.stopContainer(id, 1).catch(() => undefined);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      result.exitCode = await engine.waitContainer(id);
      // The output may still be draining: let it finish before the container goes.
      await Promise.race([streaming, new Promise((done) => setTimeout(done, 2000))]);
      session.close();
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
    return result;
  } finally {
    if (removeOnExit) await engine.removeContainer(id, { force: true, volumes: true }).catch(() => undefined);
  }
}

/** The planner's plan for the service and its dependencies, without the service's own containers. */
async function prepare(options: RunOptions): Promise<void> {
  const { project, service, engine } = options;
  const services = options.noDeps ? [service] : buildGraph(project).closure([service]);
  const observed = await observe(engine, project.name, {
    images: true,
    externalNetworks: Object.values(project.networks).filter((n) => n.external).map((n) => n.name),
    externalVolumes: Object.values(project.volumes).filter((v) => v.external).map((v) => v.name),
  });
  // The clock lets pull_policy daily/weekly/every_ compare image ages, as `up` does.
  const nowMs = (options.clock ?? systemClock).now();
  const plan = withoutService(planUp({ project, observed, options: { services, targets: [service], nowMs } }), service);
  if (plan.nodes.length > 0) await applyPlan(plan, options, { project });
}

export function withoutService(plan: Plan, service: string): Plan {
  const dropped = new Set(plan.nodes.filter((node) => concerns(node.op, service)).map((node) => node.id));
  return {
    warnings: plan.warnings,
    nodes: plan.nodes.filter((node) => !dropped.has(node.id)).map((node) => ({ ...node, dependsOn: node.dependsOn.filter((id) => !dropped.has(id)) })),
  };
}

function concerns(op: Operation, service: string): boolean {
  switch (op.kind) {
    case 'create-container':
    case 'wait-condition':
      return op.service === service;
    case 'start-container':
    case 'stop-container':
    case 'restart-container':
    case 'remove-container':
    case 'rename-container':
    case 'connect-network':
      return op.container.service === service;
    default:
      return false;
  }
}

/** The create body of the one-off: the service with run's overrides, Compose's one-off labels. */
export function oneOffSpec(options: OneOffInput, slug: string): ContainerSpec {
  const { project } = options;
  const base = project.services[options.service]!;
  const service: Service = {
    ...base,
    environment: { ...base.environment, ...envMap(options.setEnv ?? []) },
    ports: options.servicePorts ? base.ports : [],
    volumes: [...base.volumes, ...(options.volumes ?? []).map((v) => volumeFlag(v, project, options.cwd ?? project.workingDir))],
    tty: options.tty,
    stdin_open: options.interactive,
    // A one-off runs once: the service's restart policy would bring back a finished task.
    restart: undefined,
  };
  if (options.command && options.command.length > 0) service.command = options.command;
  if (options.entrypoint) service.entrypoint = options.entrypoint;
  if (options.workingDir !== undefined) service.working_dir = options.workingDir;
  if (options.user !== undefined) service.user = options.user;
  if (service.deploy?.restart_policy) service.deploy = { ...service.deploy, restart_policy: undefined };
  const name = options.name ?? oneOffContainerName(project.name, service.name, slug);
  const labels = containerLabels(project, service, undefined, serviceConfig(base, project).hash, { oneoffSlug: slug });
  const spec = toContainerSpec({ project, service, number: 1, name, labels, imageRef: serviceImage(project.name, base) });
  const body = spec.body;
  if (options.interactive) {
    body.OpenStdin = true;
    body.AttachStdin = true;
    body.StdinOnce = true;
  }
  if (options.rm && options.detach) body.HostConfig = { ...body.HostConfig, AutoRemove: true };
  return spec;
}

function envMap(flags: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq > 0) out[flag.slice(0, eq)] = flag.slice(eq + 1);
  }
  return out;
}

/** `-v ./src:/dst:ro` (bind, relative to cwd) or `data:/dst` (a volume of the project). */
export function volumeFlag(flag: string, project: Project, cwd: string): ServiceVolume {
  const parts = flag.split(':');
  if (parts.length < 2 || parts.some((p) => p === '')) throw new UsageError(`invalid volume "${flag}"`, 'use SOURCE:TARGET[:ro]');
  const [source, target, mode] = parts as [string, string, string | undefined];
  const readOnly = mode === 'ro';
  const isPath = source.startsWith('.') || source.startsWith('~') || isAbsolute(source);
  if (isPath) return { type: 'bind', source: resolve(cwd, source), target, ...(readOnly ? { read_only: true } : {}) };
  if (!project.volumes[source]) throw new UsageError(`volume "${source}" is not a volume of the project`, 'declare it under `volumes:` or give a host path (./dir or /abs/dir)');
  return { type: 'volume', source, target, ...(readOnly ? { read_only: true } : {}) };
}

async function drain(session: StreamSession): Promise<void> {
  session.output.resume();
  await new Promise<void>((done) => {
    session.output.once('end', done);
    session.output.once('close', done);
    session.output.once('error', () => done());
  });
}

/** `--entrypoint "sh -c 'echo hi'"`: shell-like words (quotes, backslashes), as Compose splits it. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < text.length) current += text[++i];
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < text.length) {
      current += text[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (quote) throw new UsageError(`unterminated quote in "${text}"`);
  if (inWord) words.push(current);
  return words;
}
