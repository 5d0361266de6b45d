// planUp: desired project + observed snapshot + options -> Plan. PURE: no engine, no clock, no
// file system; everything it knows is in its input (Compose's reconcile.go, simplified).
//
// Per selected service, in dependency order:
//   existing replicas beyond the scale      -> stop + remove ("scale down"), highest numbers first
//   diverged (hash, image, parent, network) -> stop, rename, create (inherits anonymous volumes), start, remove old
//   same config, not running                -> start
//   missing numbers up to the scale         -> create + start, filling gaps from 1
// A start waits for its dependencies per depends_on condition; a create waits for its networks,
// volumes and image. Named volumes are never removed here.
import type { ImageInfo, ObservedContainer } from '../engine/engine.js';
import { SpecError, UsageError, type SpecProblem } from '../errors.js';
import type { DependsOnCondition, Project, Service } from '../model/types.js';
import { networkConfigHash, serviceConfig, volumeConfigHash, type ServiceConfig } from '../observe/hash.js';
import {
  LABEL_CONFIG_HASH,
  LABEL_PROJECT,
  containerLabels,
  containerNumber,
  isOneOff,
  networkLabels,
  serviceOf,
  storedConfigOf,
  volumeLabels,
} from '../observe/labels.js';
import { findImage, type ObservedState } from '../observe/observed-state.js';
import { decideImage, ensureCause, mergeWhenMissing, shorterRefresh } from './images.js';
import { PlanBuilder } from './builder.js';
import { dependencyOrder, serviceDependencies, type DependencyFunction, type ServiceDependency } from './dependencies.js';
import { diffConfig } from './diff.js';
import { containerName, replicaName, serviceImage, temporaryName } from './naming.js';
import type { ContainerRef, FieldChange, Plan } from './types.js';
import { conditionWords } from '../model/conditions.js';

export interface PlanUpOptions {
  /** Services to converge; the caller has already added their dependencies (unless --no-deps). Default: all. */
  services?: string[];
  /** The services the user named (forceRecreate applies to these; the rest are dependencies). Default: `services`. */
  targets?: string[];
  forceRecreate?: boolean;
  noRecreate?: boolean;
  /** --always-recreate-deps: force-recreate the selected services that are not targets. */
  alwaysRecreateDeps?: boolean;
  /** Create, do not start (`create`, `up --no-start`). */
  noStart?: boolean;
  removeOrphans?: boolean;
  /** --scale overrides. */
  scale?: Record<string, number>;
  /** --build: build images of services with `build:` even when present. */
  build?: boolean;
  /** -t/--timeout in seconds for stops of replaced or removed containers; default: the service's stop_grace_period, else the engine's. */
  timeout?: number;
  /** --env-file paths, recorded in a label as Compose does. */
  environmentFiles?: string[];
  /**
   * The clock (ms since the epoch) for pull_policy daily/weekly/every_<d>, which pull a local image
   * last pulled longer ago than that. Undefined: they act as `missing` (the planner reads no clock).
   */
  nowMs?: number;
}

export interface PlanUpInput {
  project: Project;
  observed: ObservedState;
  options?: PlanUpOptions;
  /** Dependency facts per service; default: read from depends_on, links, volumes_from, network_mode/ipc/pid. */
  dependencies?: DependencyFunction;
}

const RUNNING_STATES = new Set(['running', 'restarting', 'paused']);
const UNUSABLE_STATES = new Set(['dead', 'removing']);


type Strategy = 'diverged' | 'force' | 'never';

/** What the visit of one service leaves for the services that depend on it. */
interface ServiceResult {
  /** Nodes that create this service's containers (new or replacement). */
  createNodes: string[];
  /** Nodes after which the service counts as started (start and restart nodes). */
  startNodes: string[];
  /** Engine names of the containers the service will have. */
  containers: string[];
  recreated: boolean;
}

interface Recreate {
  cause: string;
  changes?: FieldChange[];
}

export function planUp(input: PlanUpInput): Plan {
  return new UpPlanner(input).plan();
}

class UpPlanner {
  private readonly project: Project;
  private readonly observed: ObservedState;
  private readonly options: PlanUpOptions;
  private readonly dependencies: DependencyFunction;
  private readonly b = new PlanBuilder();
  private readonly problems: SpecProblem[] = [];
  private readonly selected: string[];
  private readonly targets: Set<string>;
  private readonly networkNodes = new Map<string, string>();
  private readonly volumeNodes = new Map<string, string>();
  private readonly results = new Map<string, ServiceResult>();

  constructor(input: PlanUpInput) {
    this.project = input.project;
    this.observed = input.observed;
    this.options = input.options ?? {};
    this.dependencies = input.dependencies ?? serviceDependencies;
    this.selected = this.selectServices();
    this.targets = new Set(this.options.targets ?? this.selected);
  }

  plan(): Plan {
    this.planNetworks();
    this.planVolumes();
    const order = dependencyOrder(this.selected, (name) => this.depsOf(name).map((d) => d.service));
    for (const name of order) this.planService(this.project.services[name]!);
    this.planOrphans();
    if (this.problems.length > 0) throw new SpecError('NOT_FOUND', this.problems);
    return this.b.build();
  }

  private selectServices(): string[] {
    const names = this.options.services ?? Object.keys(this.project.services);
    const unknown = names.filter((name) => this.project.services[name] === undefined);
    if (unknown.length > 0) {
      const disabled = unknown.filter((name) => this.project.disabledServices[name] !== undefined);
      throw new UsageError(
        `no such service: ${unknown.join(', ')}`,
        disabled.length > 0 ? `enable the profile of ${disabled.join(', ')} with --profile` : 'see `stack config --services`',
      );
    }
    return [...new Set(names)].sort();
  }

  /** Asked for each service by the ordering and again by its own planning: computed once. */
  private readonly dependenciesByName = new Map<string, ServiceDependency[]>();

  private depsOf(name: string): ServiceDependency[] {
    let deps = this.dependenciesByName.get(name);
    if (deps === undefined) {
      const service = this.project.services[name];
      deps = service ? this.dependencies(service) : [];
      this.dependenciesByName.set(name, deps);
    }
    return deps;
  }

  // ---- networks and volumes ----

  private usedNetworks(): string[] {
    const keys = new Set<string>();
    for (const name of this.selected) for (const key of Object.keys(this.project.services[name]!.networks)) keys.add(key);
    return [...keys].sort();
  }

  private usedVolumes(): string[] {
    const keys = new Set<string>();
    for (const name of this.selected) {
      for (const mount of this.project.services[name]!.volumes) {
        if (mount.type === 'volume' && mount.source !== undefined && this.project.volumes[mount.source]) keys.add(mount.source);
      }
    }
    return [...keys].sort();
  }

  private planNetworks(): void {
    for (const key of this.usedNetworks()) {
      const network = this.project.networks[key];
      if (!network) continue;
      if (network.external) {
        this.checkExternal('network', key, network.name, this.observed.external?.networks);
        continue;
      }
      const hash = networkConfigHash(network);
      const found = this.observed.networks.find((n) => n.name === network.name);
      if (!found) {
        this.networkNodes.set(
          key,
          this.b.add({
            id: `network:${key}:create`,
            op: { kind: 'create-network', key, name: network.name, network, labels: networkLabels(this.project.name, key, hash, network.labels) },
            resource: `network ${network.name}`,
            cause: 'not found',
          }),
        );
        continue;
      }
      const observedHash = found.labels[LABEL_CONFIG_HASH];
      if (observedHash !== undefined && observedHash !== hash) {
        this.b.warnings.push(`network ${network.name} differs from its definition in the spec; run \`stack down\` then \`stack up\` to recreate it`);
      }
    }
  }

  private planVolumes(): void {
    for (const key of this.usedVolumes()) {
      const volume = this.project.volumes[key]!;
      if (volume.external) {
        this.checkExternal('volume', key, volume.name, this.observed.external?.volumes);
        continue;
      }
      const hash = volumeConfigHash(volume);
      const found = this.observed.volumes.find((v) => v.name === volume.name);
      if (!found) {
        this.volumeNodes.set(
          key,
          this.b.add({
            id: `volume:${key}:create`,
            op: { kind: 'create-volume', key, name: volume.name, volume, labels: volumeLabels(this.project.name, key, hash, volume.labels) },
            resource: `volume ${volume.name}`,
            cause: 'not found',
          }),
        );
        continue;
      }
      const observedHash = found.labels[LABEL_CONFIG_HASH];
      if (observedHash !== undefined && observedHash !== hash) {
        // Never recreated by `up`: that would delete its data.
        this.b.warnings.push(`volume ${volume.name} differs from its definition in the spec; it is kept as is (recreating it would delete its data)`);
      }
    }
  }

  private checkExternal(kind: 'network' | 'volume', key: string, name: string, existing: string[] | undefined): void {
    if (existing === undefined || existing.includes(name)) return;
    const section = kind === 'network' ? 'networks' : 'volumes';
    this.problems.push(
      this.project.sources.problem([section, key, 'external'], `external ${kind} "${name}" not found`, {
        hint: `create it first with \`docker ${kind} create ${name}\`, or remove \`external: true\` to let stack create it`,
      }),
    );
  }

  // ---- images ----

  /** The node the service's creates wait for to have an image, if any. */
  private planImage(service: Service): string | undefined {
    const image = serviceImage(this.project.name, service);
    const decision = decideImage({
      image,
      service,
      images: this.observed.images,
      build: this.options.build ?? false,
      ...(this.options.nowMs !== undefined ? { nowMs: this.options.nowMs } : {}),
    });
    const platform = service.platform ? { platform: service.platform } : {};
    const resource = `image ${image}`;
    switch (decision.action) {
      case 'none':
        return undefined;
      case 'error':
        this.problems.push(this.project.sources.problem(['services', service.name, 'image'], decision.message, { hint: decision.hint }));
        return undefined;
      case 'build':
        return this.imageNode(`image:${image}:build`, { kind: 'build-image', service: service.name, image }, resource, decision.cause);
      case 'pull': {
        const fallback = decision.fallbackBuild ? { fallbackBuild: service.name } : {};
        return this.imageNode(`image:${image}:pull`, { kind: 'pull-image', image, ...platform, services: [service.name], ...fallback }, resource, decision.cause);
      }
      case 'ensure': {
        const refresh = decision.refresh !== undefined ? { refresh: decision.refresh } : {};
        return this.imageNode(
          `image:${image}:ensure`,
          { kind: 'ensure-image', image, ...platform, services: [service.name], whenMissing: decision.whenMissing, ...refresh },
          resource,
          decision.cause,
        );
      }
    }
  }

  /** One node per image and action, shared by the services using it. */
  private imageNode(id: string, op: Parameters<PlanBuilder['add']>[0]['op'], resource: string, cause: string): string {
    const existing = this.b.get(id);
    if (existing) {
      if ((existing.op.kind === 'pull-image' || existing.op.kind === 'ensure-image') && 'services' in op) {
        existing.op.services = [...new Set([...existing.op.services, ...op.services])].sort();
      }
      if (existing.op.kind === 'pull-image' && op.kind === 'pull-image' && existing.op.fallbackBuild === undefined && op.fallbackBuild !== undefined) {
        existing.op.fallbackBuild = op.fallbackBuild;
        existing.cause = cause;
      }
      if (existing.op.kind === 'ensure-image' && op.kind === 'ensure-image') {
        existing.op.whenMissing = mergeWhenMissing(existing.op.whenMissing, op.whenMissing);
        const refresh = shorterRefresh(existing.op.refresh, op.refresh);
        if (refresh !== undefined) existing.op.refresh = refresh;
        existing.cause = ensureCause(existing.op.whenMissing, refresh);
      }
      return id;
    }
    return this.b.add({ id, op, resource, cause });
  }

  // ---- containers ----

  private strategyFor(name: string): Strategy {
    if (this.options.noRecreate) return 'never';
    if (this.targets.has(name)) return this.options.forceRecreate ? 'force' : 'diverged';
    return this.options.alwaysRecreateDeps ? 'force' : 'diverged';
  }

  private scaleOf(service: Service): number {
    return Math.max(0, this.options.scale?.[service.name] ?? service.scale);
  }

  private stopTimeout(service: Service | undefined): number | undefined {
    if (this.options.timeout !== undefined) return this.options.timeout;
    if (service?.stop_grace_period !== undefined) return Math.ceil(service.stop_grace_period / 1000);
    return undefined;
  }

  /** Replicas of the service: valid numbers ascending (newest first on a tie), then the rest. */
  /** The observed service containers (no one-offs) by service: indexed once, not filtered per service. */
  private byService: Map<string, ObservedContainer[]> | undefined;

  private replicasOf(name: string): ObservedContainer[] {
    if (this.byService === undefined) {
      this.byService = new Map();
      for (const c of this.observed.containers) {
        const service = serviceOf(c.labels);
        if (service === undefined || isOneOff(c.labels)) continue;
        const list = this.byService.get(service);
        if (list) list.push(c);
        else this.byService.set(service, [c]);
      }
    }
    const mine = [...(this.byService.get(name) ?? [])];
    return mine.sort((a, b) => {
      const na = containerNumber(a.labels) ?? Number.MAX_SAFE_INTEGER;
      const nb = containerNumber(b.labels) ?? Number.MAX_SAFE_INTEGER;
      if (na !== nb) return na - nb;
      if (a.created !== b.created) return b.created - a.created;
      return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    });
  }

  private planService(service: Service): void {
    const config = serviceConfig(service, this.project);
    const deps = this.depsOf(service.name).filter((d) => this.results.has(d.service));
    const strategy = this.strategyFor(service.name);
    const parent = deps.find((d) => d.namespace && this.results.get(d.service)!.recreated);
    const result: ServiceResult = { createNodes: [], startNodes: [], containers: [], recreated: false };

    const { kept, extra, missing } = partitionReplicas(this.replicasOf(service.name), this.scaleOf(service));
    // Highest numbers go first, as Compose does; the number-less and duplicates are "highest".
    const removals = [...extra].reverse().map((c) => this.planRemove(service, c, 'scale down'));

    // Each kept container's reason once: it decides both whether an image is needed and what to do.
    const reasons = kept.map((c) => this.recreateReason(service, config, c, strategy, parent));
    const needsCreate = missing.length > 0 || reasons.some((reason) => reason !== undefined);
    const imageNode = needsCreate ? this.planImage(service) : undefined;
    const createDeps = this.createDeps(service, deps, imageNode);
    // Lazy: a wait node exists only when something of this service actually starts.
    let memo: string[] | undefined;
    const startDeps = (): string[] => (memo ??= this.startDeps(deps));

    for (const [index, c] of kept.entries()) {
      const reason = reasons[index];
      if (reason) {
        this.planRecreate(service, config, c, reason, createDeps, startDeps, result);
        continue;
      }
      const renamed = this.planRenameBack(service, c, removals);
      result.containers.push(containerName(this.project.name, service, containerNumber(c.labels)!));
      if (RUNNING_STATES.has(c.state)) {
        this.planRestartIfDependencyRecreated(service, c, deps, startDeps, result);
        continue;
      }
      if (this.options.noStart) continue;
      const n = containerNumber(c.labels)!;
      result.startNodes.push(
        this.b.add({
          id: `container:${service.name}:${n}:start`,
          op: { kind: 'start-container', container: this.ref(service.name, c) },
          resource: replicaName(service.name, n),
          cause: c.state,
          dependsOn: [...renamed, ...startDeps()],
        }),
      );
    }

    const fresh = kept.length === 0;
    for (const n of missing) {
      this.planCreate(service, config, n, fresh ? 'not found' : 'scale up', createDeps, startDeps, result);
    }
    this.results.set(service.name, result);
  }

  private ref(service: string, c: ObservedContainer): ContainerRef {
    const ref: ContainerRef = { name: c.name, id: c.id, service };
    const n = containerNumber(c.labels);
    if (n !== undefined) ref.number = n;
    return ref;
  }

  private recreateReason(service: Service, config: ServiceConfig, c: ObservedContainer, strategy: Strategy, parent: ServiceDependency | undefined): Recreate | undefined {
    if (strategy === 'never') return undefined;
    if (strategy === 'force') return { cause: 'forced' };
    if (parent) return { cause: `namespace parent ${parent.service} recreated` };
    if (UNUSABLE_STATES.has(c.state)) return { cause: `container ${c.state}` };
    if (c.labels[LABEL_CONFIG_HASH] !== config.hash) {
      const stored = storedConfigOf(c.labels);
      if (stored === undefined) return { cause: 'config hash changed' };
      const changes = diffConfig(stored, JSON.parse(config.canonical) as unknown);
      return changes.length > 0 ? { cause: 'config changed', changes } : { cause: 'config hash changed' };
    }
    const image = this.localImage(service);
    if (image && c.imageId && image.id !== c.imageId) return { cause: 'image changed' };
    if (c.state === 'running' && service.network_mode === undefined) {
      const missingNet = Object.keys(service.networks)
        .map((key) => this.project.networks[key]?.name ?? key)
        .sort()
        .find((name) => !c.networks.includes(name));
      if (missingNet) return { cause: `not attached to network ${missingNet}` };
    }
    return undefined;
  }

  /** Services mostly share a few images: each reference is looked up among the engine's images once. */
  private readonly imagesByReference = new Map<string, ImageInfo | undefined>();

  private localImage(service: Service): ImageInfo | undefined {
    const images = this.observed.images;
    if (!images) return undefined;
    const reference = serviceImage(this.project.name, service);
    if (!this.imagesByReference.has(reference)) this.imagesByReference.set(reference, findImage(images, reference));
    return this.imagesByReference.get(reference);
  }

  private createDeps(service: Service, deps: ServiceDependency[], imageNode: string | undefined): string[] {
    const out: string[] = [];
    for (const key of Object.keys(service.networks)) {
      const node = this.networkNodes.get(key);
      if (node) out.push(node);
    }
    for (const mount of service.volumes) {
      const node = mount.type === 'volume' && mount.source !== undefined ? this.volumeNodes.get(mount.source) : undefined;
      if (node) out.push(node);
    }
    if (imageNode) out.push(imageNode);
    // `container:<id>` references need the parent's new container to exist at create time.
    for (const dep of deps) if (dep.namespace) out.push(...this.results.get(dep.service)!.createNodes);
    return out;
  }

  private startDeps(deps: ServiceDependency[]): string[] {
    if (this.options.noStart) return [];
    const out: string[] = [];
    for (const dep of deps) {
      const result = this.results.get(dep.service)!;
      if (dep.condition === 'service_started') out.push(...result.startNodes);
      else out.push(this.waitNode(dep, result));
    }
    return out;
  }

  /** One wait per (service, condition), shared by every dependent. */
  private waitNode(dep: ServiceDependency, result: ServiceResult): string {
    const id = `wait:${dep.service}:${dep.condition}`;
    const existing = this.b.get(id);
    if (existing) {
      if (existing.op.kind === 'wait-condition' && dep.required) existing.op.required = true;
      return id;
    }
    return this.b.add({
      id,
      op: { kind: 'wait-condition', service: dep.service, condition: dep.condition, containers: [...result.containers].sort(), required: dep.required },
      resource: dep.service,
      cause: conditionWords(dep.condition),
      dependsOn: result.startNodes,
    });
  }

  private labelsFor(service: Service, config: ServiceConfig, n: number, replaces?: string): Record<string, string> {
    return containerLabels(this.project, service, n, config.hash, {
      config: config.canonical,
      ...(this.options.environmentFiles ? { environmentFiles: this.options.environmentFiles } : {}),
      ...(replaces !== undefined ? { replaces } : {}),
    });
  }

  private planCreate(service: Service, config: ServiceConfig, n: number, cause: string, createDeps: string[], startDeps: () => string[], result: ServiceResult): void {
    const name = containerName(this.project.name, service, n);
    const resource = replicaName(service.name, n);
    const create = this.b.add({
      id: `container:${service.name}:${n}:create`,
      op: { kind: 'create-container', service: service.name, number: n, name, image: serviceImage(this.project.name, service), configHash: config.hash, labels: this.labelsFor(service, config, n) },
      resource,
      cause,
      dependsOn: createDeps,
    });
    result.createNodes.push(create);
    result.containers.push(name);
    if (this.options.noStart) return;
    result.startNodes.push(
      this.b.add({
        id: `container:${service.name}:${n}:start`,
        op: { kind: 'start-container', container: { name, service: service.name, number: n } },
        resource,
        cause,
        dependsOn: [create, ...startDeps()],
      }),
    );
  }

  /**
   * stop old -> rename old -> create new (reads the old one's mounts for anonymous volumes) ->
   * start new -> remove old. The old container is stopped only once the new image is there,
   * and removed only once its replacement runs, so a failed create leaves it recoverable.
   */
  private planRecreate(service: Service, config: ServiceConfig, c: ObservedContainer, reason: Recreate, createDeps: string[], startDeps: () => string[], result: ServiceResult): void {
    const n = containerNumber(c.labels)!;
    const resource = replicaName(service.name, n);
    const old = this.ref(service.name, c);
    const id = (verb: string): string => `container:${service.name}:${n}:${verb}`;
    const common = { resource, cause: reason.cause, ...(reason.changes ? { changes: reason.changes } : {}) };
    let before = createDeps;
    if (RUNNING_STATES.has(c.state)) {
      before = [this.b.add({ ...common, id: id('stop'), op: { kind: 'stop-container', container: old, timeoutSeconds: this.stopTimeout(service) }, dependsOn: createDeps })];
    }
    const tmp = temporaryName(c.id, c.name);
    // A replacement that failed last time left the old container under its temporary name.
    const renamed = c.name === tmp ? before : [this.b.add({ ...common, id: id('rename'), op: { kind: 'rename-container', container: old, to: tmp }, dependsOn: before })];
    const name = containerName(this.project.name, service, n);
    const create = this.b.add({
      ...common,
      id: id('create'),
      op: {
        kind: 'create-container',
        service: service.name,
        number: n,
        name,
        image: serviceImage(this.project.name, service),
        configHash: config.hash,
        labels: this.labelsFor(service, config, n, c.name),
        inheritFrom: { id: c.id, name: tmp },
      },
      dependsOn: [...renamed, ...createDeps],
    });
    let last = create;
    if (!this.options.noStart) {
      last = this.b.add({ ...common, id: id('start'), op: { kind: 'start-container', container: { name, service: service.name, number: n } }, dependsOn: [create, ...startDeps()] });
      result.startNodes.push(last);
    }
    this.b.add({
      ...common,
      id: id('remove'),
      op: { kind: 'remove-container', container: { ...old, name: tmp }, removeAnonymousVolumes: false },
      dependsOn: [last],
    });
    result.createNodes.push(create);
    result.containers.push(name);
    result.recreated = true;
  }

  /** depends_on.restart: a running, unchanged dependent restarts after its dependency was recreated. */
  private planRestartIfDependencyRecreated(service: Service, c: ObservedContainer, deps: ServiceDependency[], startDeps: () => string[], result: ServiceResult): void {
    if (this.options.noStart) return;
    const trigger = deps.find((d) => d.restart && this.results.get(d.service)!.recreated);
    if (!trigger) return;
    const n = containerNumber(c.labels)!;
    result.startNodes.push(
      this.b.add({
        id: `container:${service.name}:${n}:restart`,
        op: { kind: 'restart-container', container: this.ref(service.name, c), timeoutSeconds: this.stopTimeout(service) },
        resource: replicaName(service.name, n),
        cause: `dependency ${trigger.service} recreated`,
        dependsOn: startDeps(),
      }),
    );
  }

  /**
   * A kept container under another name (left by a replacement that failed after the rename)
   * gets its name back, once the containers being removed have freed it.
   */
  private planRenameBack(service: Service, c: ObservedContainer, removals: string[]): string[] {
    const n = containerNumber(c.labels)!;
    const wanted = containerName(this.project.name, service, n);
    if (c.name === wanted) return [];
    return [
      this.b.add({
        id: `container:${service.name}:${n}:rename`,
        op: { kind: 'rename-container', container: this.ref(service.name, c), to: wanted },
        resource: replicaName(service.name, n),
        cause: `named ${c.name}`,
        dependsOn: removals,
      }),
    ];
  }

  /** Stop (when running) then remove; never a forced removal (dockerd 20.10 leaks endpoints). Returns the remove node. */
  private planRemove(service: Service | undefined, c: ObservedContainer, cause: string): string {
    const serviceName = serviceOf(c.labels) ?? '';
    const n = containerNumber(c.labels);
    const resource = n !== undefined && serviceName && !isOneOff(c.labels) ? replicaName(serviceName, n) : c.name;
    const base = n !== undefined && !isOneOff(c.labels) ? `container:${serviceName}:${n}` : `container:${c.name}`;
    const ref = this.ref(serviceName, c);
    let stop: string | undefined;
    if (RUNNING_STATES.has(c.state)) {
      stop = this.b.add({ id: this.b.uniqueId(`${base}:stop`, c.id.slice(0, 12)), op: { kind: 'stop-container', container: ref, timeoutSeconds: this.stopTimeout(service) }, resource, cause });
    }
    return this.b.add({
      id: this.b.uniqueId(`${base}:remove`, c.id.slice(0, 12)),
      op: { kind: 'remove-container', container: ref, removeAnonymousVolumes: false },
      resource,
      cause,
      dependsOn: stop ? [stop] : [],
    });
  }

  // ---- orphans ----

  private planOrphans(): void {
    const orphans = findOrphans(this.project, this.observed.containers);
    if (orphans.length === 0) return;
    if (!this.options.removeOrphans) {
      this.b.warnings.push(
        `Found orphan containers (${orphans.map((c) => c.name).join(', ')}) for this project. If you removed or renamed this service in your spec, run this command with --remove-orphans to clean it up.`,
      );
      return;
    }
    for (const c of orphans) this.planRemove(undefined, c, 'orphaned container');
  }
}

/**
 * Containers of the project that belong to no known service (enabled or disabled by a
 * profile), plus exited one-offs; sorted by name (Compose's isOrphaned).
 */
export function findOrphans(project: Pick<Project, 'name' | 'services' | 'disabledServices'>, containers: readonly ObservedContainer[]): ObservedContainer[] {
  return containers
    .filter((c) => c.labels[LABEL_PROJECT] === undefined || c.labels[LABEL_PROJECT] === project.name)
    .filter((c) => {
      if (isOneOff(c.labels)) return c.state === 'exited' || c.state === 'dead';
      const service = serviceOf(c.labels);
      return service === undefined || (project.services[service] === undefined && project.disabledServices[service] === undefined);
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * `replicas` sorted by number: the first `scale` distinct numbers are kept, the rest are extra;
 * `missing` are the numbers to create, filling gaps from 1.
 */
export function partitionReplicas(replicas: readonly ObservedContainer[], scale: number): { kept: ObservedContainer[]; extra: ObservedContainer[]; missing: number[] } {
  const kept: ObservedContainer[] = [];
  const extra: ObservedContainer[] = [];
  const numbers = new Set<number>();
  for (const c of replicas) {
    const n = containerNumber(c.labels);
    if (n !== undefined && !numbers.has(n) && kept.length < scale) {
      numbers.add(n);
      kept.push(c);
    } else extra.push(c);
  }
  const missing: number[] = [];
  for (let n = 1; numbers.size + missing.length < scale; n++) if (!numbers.has(n)) missing.push(n);
  return { kept, extra, missing };
}

