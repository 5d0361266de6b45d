// One handler per operation kind: each turns a plan operation into its engine call(s). Handlers
// do what the operation says and nothing else; the only judgement they make is reading an
// engine answer ("no such container" on a stop or remove means the work is already done).
import { mkdir, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Engine, ImageInfo, PullProgress, RegistryAuth } from '../engine/engine.js';
import { explainRegistryError, type CredentialLookup } from '../engine/credentials.js';
import { EngineError, InternalError, StackError, isConflict, isNotFound } from '../errors.js';
import type { ProgressEvent, ResourceKind } from '../events.js';
import type { Project, Service } from '../model/types.js';
import { LABEL_IMAGE } from '../observe/labels.js';
import type { ContainerRef, Operation, PlanNode } from '../plan/types.js';
import { copySpecFiles } from './copy-files.js';
import { toContainerSpec } from './container-spec.js';
import { volumesFrom } from './container-spec/mounts.js';
import { defaultContainerNamesOf } from './container-spec/references.js';
import { waitForCondition, type Clock } from './wait.js';
import { buildForApply } from '../build/apply.js';
import { pullDecision } from '../plan/pull-policy.js';

/** Operations that only lifecycle commands plan (kill, pause, unpause): not part of `up`'s plans. */
export type LifecycleOperation =
  | { kind: 'kill-container'; container: ContainerRef; signal?: string }
  | { kind: 'pause-container'; container: ContainerRef }
  | { kind: 'unpause-container'; container: ContainerRef };

export type ExecutableOperation = Operation | LifecycleOperation;

/** A plan node whose operation may also be a lifecycle operation; every PlanNode is one. */
export interface ExecutableNode extends Omit<PlanNode, 'op'> {
  op: ExecutableOperation;
}

export type EmittedEvent = Omit<ProgressEvent, 'timestamp'>;

/** What every handler may use; one per apply. */
export interface OperationContext {
  engine: Engine;
  /** Needed by create-container only (down and lifecycle commands work from labels). */
  project?: Project;
  emit: (event: EmittedEvent) => void;
  clock: Clock;
  signal?: AbortSignal;
  pollIntervalMs?: number;
  /** Registry credentials for pulls (core/engine/credentials.ts). */
  auth: CredentialLookup;
  /** Reads files named by the spec (seccomp profiles); default: the real file system. */
  readFile?: (path: string) => string;
  state: ApplyState;
}

/** What handlers learn while applying one plan and share with later nodes. */
export class ApplyState {
  /** Image reference -> the local image, once looked at. */
  readonly images = new Map<string, Promise<ImageInfo | undefined>>();
  /** Containers created by this apply: name -> whether the container publishes ports. */
  readonly created = new Map<string, { id: string; publishesPorts: boolean }>();
  private startChain: Promise<unknown> = Promise.resolve();

  /**
   * Starts that may allocate host ports run one at a time: the engine allocates published ports
   * non-atomically, so two parallel starts can pick the same port of a range (Compose's startMx).
   */
  serialStart<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.startChain.then(fn, fn);
    this.startChain = run.catch(() => undefined);
    return run;
  }
}

/** A handler's result: nothing, or a warning that does not fail the node. */
export interface OperationOutcome {
  warning?: string;
  /** The word shown with the warning (default `Warning`). */
  action?: string;
}

/** Progress words for an operation, in Compose's vocabulary; undefined = the handler reports itself (or stays quiet). */
export interface OperationWords {
  kind: ResourceKind;
  resource: string;
  working: string;
  done: string;
}

export function describeOperation(op: ExecutableOperation): OperationWords | undefined {
  const container = (ref: ContainerRef, working: string, done: string): OperationWords => ({ kind: 'container', resource: ref.name, working, done });
  switch (op.kind) {
    case 'create-network':
      return { kind: 'network', resource: op.name, working: 'Creating', done: 'Created' };
    case 'remove-network':
      return { kind: 'network', resource: op.name, working: 'Removing', done: 'Removed' };
    case 'create-volume':
      return { kind: 'volume', resource: op.name, working: 'Creating', done: 'Created' };
    case 'remove-volume':
      return { kind: 'volume', resource: op.name, working: 'Removing', done: 'Removed' };
    case 'remove-image':
      return { kind: 'image', resource: op.image, working: 'Removing', done: 'Removed' };
    case 'create-container':
      return op.inheritFrom
        ? { kind: 'container', resource: op.name, working: 'Recreating', done: 'Recreated' }
        : { kind: 'container', resource: op.name, working: 'Creating', done: 'Created' };
    case 'start-container':
      return container(op.container, 'Starting', 'Started');
    case 'stop-container':
      return container(op.container, 'Stopping', 'Stopped');
    case 'restart-container':
      return container(op.container, 'Restarting', 'Restarted');
    case 'remove-container':
      // The replaced container of a recreate goes quietly: its line already says "Recreated".
      return isTemporary(op.container) ? undefined : container(op.container, 'Removing', 'Removed');
    case 'kill-container':
      return container(op.container, 'Killing', 'Killed');
    case 'pause-container':
      return container(op.container, 'Pausing', 'Paused');
    case 'unpause-container':
      return container(op.container, 'Unpausing', 'Unpaused');
    case 'rename-container':
    case 'connect-network':
    case 'pull-image':
    case 'ensure-image':
    case 'build-image':
    case 'wait-condition':
      return undefined;
    default:
      return unknownOperation(op);
  }
}

/** A new operation kind without a handler fails the type check here, and at run time as a bug. */
function unknownOperation(op: never): never {
  throw new InternalError(`no handler for plan operation ${(op as { kind: string }).kind}`);
}

/** `<id12>_<name>`: the name a replaced container carries during a recreate. */
function isTemporary(ref: ContainerRef): boolean {
  return ref.id !== undefined && ref.name.startsWith(`${ref.id.slice(0, 12)}_`);
}

/** Names, not ids: the engine accepts both, and its error messages then name the container the user knows. */
const target = (ref: ContainerRef): string => ref.name;

export async function runOperation(op: ExecutableOperation, ctx: OperationContext): Promise<OperationOutcome | void> {
  const { engine } = ctx;
  switch (op.kind) {
    case 'create-network':
      return createNetwork(op, ctx);
    case 'remove-network':
      return removeNetwork(op, ctx);
    case 'create-volume':
      await engine.createVolume({
        name: op.name,
        ...(op.volume.driver !== undefined ? { driver: op.volume.driver } : {}),
        driverOpts: op.volume.driver_opts,
        labels: op.labels,
      });
      return;
    case 'remove-volume':
      await ignoreNotFound(engine.removeVolume(op.name));
      return;
    case 'pull-image':
      if (op.fallbackBuild !== undefined) return pullOrBuild(op.image, op.fallbackBuild, ctx);
      await pullImage(op.image, ctx);
      return;
    case 'ensure-image':
      return ensureImage(op, ctx);
    case 'build-image':
      await buildImage(op.service, op.image, ctx);
      return;
    case 'remove-image':
      return removeImage(op.image, ctx);
    case 'create-container':
      await createContainer(op, ctx);
      return;
    case 'start-container':
      await startContainer(op.container, ctx);
      return;
    case 'stop-container':
      await ignoreNotFound(engine.stopContainer(target(op.container), op.timeoutSeconds));
      return;
    case 'restart-container':
      await ctx.state.serialStart(() => engine.restartContainer(target(op.container), op.timeoutSeconds));
      return;
    case 'remove-container':
      await removeContainer(op.container, op.removeAnonymousVolumes, ctx);
      return;
    case 'rename-container':
      await engine.renameContainer(target(op.container), op.to);
      return;
    case 'connect-network':
      await engine.connectNetwork(op.network, target(op.container), {});
      return;
    case 'wait-condition':
      return waitCondition(op, ctx);
    case 'kill-container':
      await ignoreGoneOrStopped(engine.killContainer(target(op.container), op.signal));
      return;
    case 'pause-container':
      await engine.pauseContainer(target(op.container));
      return;
    case 'unpause-container':
      await engine.unpauseContainer(target(op.container));
      return;
    default:
      return unknownOperation(op);
  }
}

// ---- networks ----

async function createNetwork(op: Extract<Operation, { kind: 'create-network' }>, ctx: OperationContext): Promise<OperationOutcome | void> {
  const n = op.network;
  try {
    await ctx.engine.createNetwork({
      name: op.name,
      ...(n.driver !== undefined ? { driver: n.driver } : {}),
      driverOpts: n.driver_opts,
      ...(n.internal !== undefined ? { internal: n.internal } : {}),
      ...(n.attachable !== undefined ? { attachable: n.attachable } : {}),
      ...(n.enable_ipv6 !== undefined ? { enableIPv6: n.enable_ipv6 } : {}),
      ...(n.ipam ? { ipam: ipamBody(n.ipam) } : {}),
      labels: op.labels,
    });
  } catch (error) {
    // Another `up` of the same project made it since we looked: it is what we wanted.
    if (isConflict(error) && (await ctx.engine.inspectNetwork(op.name)) !== undefined) return;
    throw error;
  }
}

function ipamBody(ipam: NonNullable<Project['networks'][string]['ipam']>): { Driver?: string; Config?: Record<string, unknown>[]; Options?: Record<string, string> } {
  const out: { Driver?: string; Config?: Record<string, unknown>[]; Options?: Record<string, string> } = {};
  if (ipam.driver !== undefined) out.Driver = ipam.driver;
  // The spec writes IPAM pools in snake_case; the API wants Go field names.
  if (ipam.config !== undefined) out.Config = ipam.config.map(ipamPool);
  if (ipam.options !== undefined) out.Options = ipam.options;
  return out;
}

const IPAM_KEYS: Record<string, string> = { subnet: 'Subnet', ip_range: 'IPRange', gateway: 'Gateway', aux_addresses: 'AuxiliaryAddresses' };

function ipamPool(pool: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pool)) out[IPAM_KEYS[key] ?? key] = value;
  return out;
}

/**
 * The engine releases a network's endpoints a moment after its containers are removed, so an
 * "active endpoints" refusal right after `down` removed them is often transient: try again a few
 * times before warning (Compose warns at once and leaves the network behind).
 */
const NETWORK_REMOVE_RETRIES_MS = [100, 250, 500];

async function removeNetwork(op: Extract<Operation, { kind: 'remove-network' }>, ctx: OperationContext): Promise<OperationOutcome | void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await ctx.engine.removeNetwork(op.id ?? op.name);
      return;
    } catch (error) {
      if (isNotFound(error)) return;
      const inUse = error instanceof EngineError && /active endpoints|in use/i.test(error.message);
      if (!inUse) throw error;
      const delay = NETWORK_REMOVE_RETRIES_MS[attempt];
      // Containers of another project (or orphans `down` was told to keep) still use it: warn, as Compose does.
      if (delay === undefined) return { warning: 'Resource is still in use', action: 'Warning' };
      await ctx.clock.sleep(delay, ctx.signal);
    }
  }
}

// ---- images ----

async function ensureImage(op: Extract<Operation, { kind: 'ensure-image' }>, ctx: OperationContext): Promise<OperationOutcome | void> {
  const local = await imageInfo(op.image, ctx);
  const builder = buildingService(op.services, ctx) ?? op.services[0] ?? '';
  if (local !== undefined) {
    // A periodic pull_policy: the same rule as when images are observed (core/plan/pull-policy.ts).
    if (op.refresh === undefined || !pullDecision(op.refresh, local, ctx.clock.now()).pull) return;
    if (op.whenMissing === 'pull-or-build') return pullOrBuild(op.image, builder, ctx);
    await pullImage(op.image, ctx);
    return;
  }
  switch (op.whenMissing) {
    case 'pull':
      await pullImage(op.image, ctx);
      return;
    case 'pull-or-build':
      return pullOrBuild(op.image, builder, ctx);
    case 'build':
      // Services sharing one built image name build it once: the first one with a build section.
      await buildImage(builder, op.image, ctx);
      return;
    case 'fail':
      throw new StackError('NOT_FOUND', `image ${op.image} of ${serviceList(op.services)} is not present locally and pull_policy is never`, {
        hint: `pull it with \`docker pull ${op.image}\`, or change pull_policy`,
      });
  }
}

/**
 * Compose v2's pull-then-build for a service with both `image:` and `build:`: pull; when that
 * fails, say so as a warning and build the image, unless a local copy is there (a failed refresh
 * keeps it). The pull's error, already scrubbed of credentials, is the warning's detail.
 */
async function pullOrBuild(image: string, service: string, ctx: OperationContext): Promise<OperationOutcome | void> {
  const started = ctx.clock.now();
  try {
    await pullImage(image, ctx, { reportFailure: false });
    return;
  } catch (error) {
    if (ctx.signal?.aborted) throw error;
    const reason = messageOf(error);
    const keep = (await imageInfo(image, ctx)) !== undefined;
    const warning = keep ? `pull failed, keeping the local image: ${reason}` : `pull failed, building instead: ${reason}`;
    ctx.emit({ kind: 'image', resource: image, action: 'Warning', status: 'warning', detail: warning, elapsedMs: ctx.clock.now() - started });
    if (!keep) await buildImage(service, image, ctx);
    return { warning, action: 'Warning' };
  }
}

/** core/build/apply.ts does the work; the new image is looked up again by the nodes after. */
async function buildImage(service: string, image: string, ctx: OperationContext): Promise<void> {
  await buildForApply({
    engine: ctx.engine,
    project: ctx.project,
    service,
    image,
    auth: ctx.auth,
    emit: ctx.emit,
    now: () => ctx.clock.now(),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  ctx.state.images.delete(image);
}

function buildingService(services: string[], ctx: OperationContext): string | undefined {
  return services.find((name) => ctx.project?.services[name]?.build !== undefined);
}

function serviceList(services: string[]): string {
  return services.length === 1 ? `service ${services[0]}` : `services ${services.join(', ')}`;
}

function imageInfo(image: string, ctx: OperationContext): Promise<ImageInfo | undefined> {
  let found = ctx.state.images.get(image);
  if (!found) {
    found = ctx.engine.inspectImage(image);
    // A failed look is not cached: a later node may ask again.
    found.catch(() => ctx.state.images.delete(image));
    ctx.state.images.set(image, found);
  }
  return found;
}

/** Progress events at most this often per image: a pull sends hundreds of updates a second. */
const PULL_EVENT_INTERVAL_MS = 100;

/** `reportFailure: false`: the caller reports a failure (as a warning) and decides what follows. */
async function pullImage(image: string, ctx: OperationContext, options: { reportFailure?: boolean } = {}): Promise<void> {
  const started = ctx.clock.now();
  ctx.emit({ kind: 'image', resource: image, action: 'Pulling', status: 'working' });
  const layers = new Map<string, { current: number; total: number }>();
  let lastEmit = 0;
  const onProgress = (p: PullProgress): void => {
    if (p.id !== undefined && p.total !== undefined && p.total > 0 && p.status === 'Downloading') {
      layers.set(p.id, { current: p.current ?? 0, total: p.total });
    } else if (p.id !== undefined && (p.status === 'Download complete' || p.status === 'Pull complete')) {
      const layer = layers.get(p.id);
      if (layer) layer.current = layer.total;
    }
    const now = ctx.clock.now();
    if (now - lastEmit < PULL_EVENT_INTERVAL_MS || layers.size === 0) return;
    lastEmit = now;
    let current = 0;
    let total = 0;
    for (const layer of layers.values()) {
      current += layer.current;
      total += layer.total;
    }
    ctx.emit({ kind: 'image', resource: image, action: 'Pulling', status: 'working', progress: { current, total } });
  };
  let credentials: RegistryAuth | undefined;
  try {
    credentials = await ctx.auth(image);
    await ctx.engine.pullImage(image, { ...(credentials ? { auth: credentials } : {}), onProgress, ...(ctx.signal ? { signal: ctx.signal } : {}) });
  } catch (raw) {
    // "pull access denied or image not found: ...", "registry ... rejected the credentials for user ...".
    const error = explainRegistryError(raw, { image, action: 'pull', auth: credentials });
    if (options.reportFailure !== false) ctx.emit({ kind: 'image', resource: image, action: 'Error', status: 'error', detail: messageOf(error), elapsedMs: ctx.clock.now() - started });
    throw error;
  }
  ctx.state.images.delete(image);
  ctx.emit({ kind: 'image', resource: image, action: 'Pulled', status: 'done', elapsedMs: ctx.clock.now() - started });
}

async function removeImage(image: string, ctx: OperationContext): Promise<OperationOutcome | void> {
  try {
    await ctx.engine.removeImage(image);
  } catch (error) {
    if (isNotFound(error)) return;
    // Still used by a container of another project: `down --rmi` leaves it, as Compose does.
    if (isConflict(error)) return { warning: `image is in use: ${messageOf(error)}`, action: 'Warning' };
    throw error;
  }
}

// ---- containers ----

type CreateOp = Extract<Operation, { kind: 'create-container' }>;

async function createContainer(op: CreateOp, ctx: OperationContext): Promise<void> {
  const project = ctx.project;
  if (!project) throw new InternalError(`create-container ${op.name} was planned without a project`);
  const service = project.services[op.service];
  if (!service) throw new InternalError(`create-container ${op.name}: service ${op.service} is not in the project`);

  const image = await imageInfo(op.image, ctx);
  const anonymousVolumes = op.inheritFrom ? await inheritedVolumes({ containerId: op.inheritFrom.id, project, service, image, engine: ctx.engine }) : {};
  const labels = { ...op.labels };
  if (image !== undefined) labels[LABEL_IMAGE] = image.id;
  const spec = toContainerSpec({
    project,
    service,
    number: op.number,
    name: op.name,
    labels,
    imageRef: op.image,
    anonymousVolumes,
    readFile: ctx.readFile ?? ((path) => readFileSync(path, 'utf8')),
  });
  for (const path of spec.hostPathsToCreate ?? []) await ensureHostDirectory(path);
  // Extra networks are connected by the engine adapter right after create (API 1.41 takes one at create).
  const containerId = await ctx.engine.createContainer(spec);
  await copySpecFiles(ctx.engine, containerId, spec);
  const bindings = spec.body.HostConfig?.['PortBindings'];
  ctx.state.created.set(op.name, { id: containerId, publishesPorts: bindings !== undefined && Object.keys(bindings as object).length > 0 });
}

/**
 * Container path -> anonymous volume of the container being replaced, so its data survives the
 * recreate: for the spec's anonymous volumes and the image's VOLUME paths, as Compose does
 * (targets the spec mounts otherwise are ignored by the container spec). Volumes that arrived
 * through `volumes_from` are not carried: VolumesFrom brings them again, and mounting them twice
 * is a duplicate mount point.
 */
async function inheritedVolumes(input: { containerId: string; project: Project; service: Service; image: ImageInfo | undefined; engine: Engine }): Promise<Record<string, string>> {
  const { service, image, engine } = input;
  const old = await engine.inspectContainer(input.containerId);
  if (!old) return {};
  const wanted = new Set(service.volumes.filter((v) => v.type === 'volume' && v.source === undefined).map((v) => cleanPath(v.target)));
  for (const path of image?.volumes ?? []) wanted.add(cleanPath(path));
  // An adapter that does not report image volumes: every anonymous volume counts as the image's.
  const imageVolumesKnown = image?.volumes !== undefined;
  // Named volumes are mounted by name, or not at all once the spec drops them.
  const skip = await volumesFromNames(input.project, service, engine);
  for (const volume of Object.values(input.project.volumes)) skip.add(volume.name);
  const out: Record<string, string> = {};
  for (const mount of old.mounts) {
    if (mount.type !== 'volume' || !mount.name || skip.has(mount.name)) continue;
    const destination = cleanPath(mount.destination);
    if (wanted.has(destination) || !imageVolumesKnown) out[destination] = mount.name;
  }
  return out;
}

/** Names of the volumes the service's volumes_from sources hold. */
async function volumesFromNames(project: Project, service: Service, engine: Engine): Promise<Set<string>> {
  const names = new Set<string>();
  if (service.volumes_from.length === 0) return names;
  const sources = volumesFrom(service, defaultContainerNamesOf(project)).map((entry) => entry.replace(/:(ro|rw)$/, ''));
  for (const source of await Promise.all(sources.map((name) => engine.inspectContainer(name)))) {
    for (const mount of source?.mounts ?? []) if (mount.type === 'volume' && mount.name) names.add(mount.name);
  }
  return names;
}

function cleanPath(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/** mkdir -p for a bind source that does not exist yet; an existing file or folder is left alone. */
async function ensureHostDirectory(path: string): Promise<void> {
  try {
    await stat(path);
    return;
  } catch {
    // missing: create below
  }
  try {
    await mkdir(path, { recursive: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StackError('ENGINE', `cannot create the bind mount source ${path}: ${reason}`, {
      hint: `create ${dirname(path)} yourself, or check its permissions`,
      cause: error,
    });
  }
}

async function startContainer(ref: ContainerRef, ctx: OperationContext): Promise<void> {
  const created = ctx.state.created.get(ref.name);
  // Containers created without published ports need no port allocation: start them in parallel.
  if (created && !created.publishesPorts) await ctx.engine.startContainer(target(ref));
  else await ctx.state.serialStart(() => ctx.engine.startContainer(target(ref)));
}

async function removeContainer(ref: ContainerRef, volumes: boolean, ctx: OperationContext): Promise<void> {
  try {
    await ctx.engine.removeContainer(target(ref), { force: false, volumes });
  } catch (error) {
    if (isNotFound(error)) return;
    if (isConflict(error) && /already in progress/i.test(messageOf(error))) return;
    throw error;
  }
}

// ---- waits ----

async function waitCondition(op: Extract<Operation, { kind: 'wait-condition' }>, ctx: OperationContext): Promise<OperationOutcome | void> {
  const started = new Map<string, number>();
  try {
    await waitForCondition({
      engine: ctx.engine,
      service: op.service,
      condition: op.condition,
      containers: op.containers,
      clock: ctx.clock,
      ...(ctx.pollIntervalMs !== undefined ? { pollIntervalMs: ctx.pollIntervalMs } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onUpdate: (update) => {
        if (update.state === 'waiting') {
          started.set(update.container, ctx.clock.now());
          ctx.emit({ kind: 'container', resource: update.container, action: 'Waiting', status: 'working' });
        } else {
          const since = started.get(update.container) ?? ctx.clock.now();
          ctx.emit({ kind: 'container', resource: update.container, action: update.action, status: 'done', elapsedMs: ctx.clock.now() - since });
          started.delete(update.container);
        }
      },
    });
  } catch (error) {
    for (const [container, since] of started) {
      ctx.emit({
        kind: 'container',
        resource: container,
        action: op.required ? 'Error' : 'Warning',
        status: op.required ? 'error' : 'warning',
        detail: messageOf(error),
        elapsedMs: ctx.clock.now() - since,
      });
    }
    if (op.required || ctx.signal?.aborted) throw error;
    return { warning: `${messageOf(error)} (the dependency is optional: required: false)` };
  }
}

// ---- helpers ----

async function ignoreNotFound(promise: Promise<void>): Promise<void> {
  try {
    await promise;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

/** kill answers 409 "is not running" for a stopped container: nothing to kill is done killing. */
async function ignoreGoneOrStopped(promise: Promise<void>): Promise<void> {
  try {
    await promise;
  } catch (error) {
    if (isNotFound(error)) return;
    if (isConflict(error) && /not running/i.test(messageOf(error))) return;
    throw error;
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
