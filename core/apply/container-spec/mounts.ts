// Service volumes, tmpfs, volumes_from, secrets and configs -> HostConfig.Mounts/Binds/Tmpfs/
// VolumesFrom, plus what the executor must do around create (host paths, files to copy).
// Follows Compose's buildContainerVolumes / buildMount / buildContainer{Secret,Config}Mounts and
// injectFileReferences, written for Engine API 1.41.
import type { KeyPath } from '../../errors.js';
import { SpecError } from '../../errors.js';
import type { FileToCopy } from '../../engine/engine.js';
import type { Config, Project, Service, ServiceFileReference, ServiceVolume } from '../../model/types.js';
import { firstContainerOf, type ContainerNamesOf } from './references.js';

export interface MountBody {
  Type: 'bind' | 'volume' | 'tmpfs' | 'npipe';
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  Consistency?: string;
  BindOptions?: { Propagation?: string };
  VolumeOptions?: { NoCopy?: boolean };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
}

export interface MountsResult {
  mounts: MountBody[];
  /** Only for SELinux relabelling (`:z`/`:Z`), which the Mount API cannot express. */
  binds: string[];
  hostPathsToCreate: string[];
  filesToCopy: FileToCopy[];
}

export interface MountsInput {
  project: Project;
  service: Service;
  /** Container path -> anonymous volume to reuse (carried over from the container being replaced). */
  anonymousVolumes: Record<string, string>;
}

const SECRETS_DIR = '/run/secrets/';
const DEFAULT_FILE_MODE = 0o444;

export function buildMounts(input: MountsInput): MountsResult {
  const { project, service, anonymousVolumes } = input;
  // Keyed by target: a later entry for the same path replaces an earlier one, and volumes win
  // over secrets/configs at the same path, as in Compose's fillBindMounts.
  const byTarget = new Map<string, MountBody>();
  // SELinux binds by target, so that a later entry for the same path replaces them too.
  const bindsByTarget = new Map<string, string>();
  const hostPathsToCreate: string[] = [];

  for (const volume of service.volumes) {
    if (volume.type === 'bind' && volume.bind?.selinux !== undefined && volume.source !== undefined) {
      bindsByTarget.set(volume.target, selinuxBind(volume, volume.source));
      byTarget.delete(volume.target);
      continue;
    }
    const mount = volumeMount(project, volume, anonymousVolumes);
    if (mount === undefined) continue;
    // compose-go defaults create_host_path to true; Compose then uses the Binds API, which creates
    // a missing source. With the Mount API the executor has to do it (CreateMountpoint is API 1.44).
    if (mount.Type === 'bind' && volume.bind?.create_host_path !== false && mount.Source !== undefined) {
      hostPathsToCreate.push(mount.Source);
    }
    bindsByTarget.delete(volume.target);
    byTarget.set(mount.Target, mount);
  }

  const taken = (target: string): boolean => byTarget.has(target) || bindsByTarget.has(target);
  const files = fileReferences(project, service);
  for (const mount of files.mounts) if (!taken(mount.Target)) byTarget.set(mount.Target, mount);

  // Anonymous volumes the image declares (VOLUME) are not in the spec, yet Compose carries them
  // over on recreate so their data survives; the executor passes them in with the spec's own.
  for (const [target, name] of Object.entries(anonymousVolumes)) {
    if (!taken(target)) byTarget.set(target, { Type: 'volume', Source: name, Target: target });
  }

  return { mounts: [...byTarget.values()], binds: [...bindsByTarget.values()], hostPathsToCreate: unique(hostPathsToCreate), filesToCopy: files.copies };
}

function volumeMount(project: Project, volume: ServiceVolume, anonymousVolumes: Record<string, string>): MountBody | undefined {
  switch (volume.type) {
    case 'bind': {
      const mount: MountBody = { Type: 'bind', Source: volume.source ?? '', Target: volume.target };
      if (volume.bind?.propagation !== undefined) mount.BindOptions = { Propagation: volume.bind.propagation };
      return common(mount, volume);
    }
    case 'volume': {
      // Named: the top-level volume's engine name. Anonymous: the carried-over volume, or no
      // source at all so that the engine creates a fresh one.
      const source = volume.source !== undefined ? (project.volumes[volume.source]?.name ?? volume.source) : anonymousVolumes[volume.target];
      const mount: MountBody = { Type: 'volume', Target: volume.target };
      if (source !== undefined) mount.Source = source;
      // volume.subpath needs API 1.45 (Engine 26): not sent, the whole volume is mounted.
      if (volume.volume?.nocopy) mount.VolumeOptions = { NoCopy: true };
      return common(mount, volume);
    }
    case 'tmpfs': {
      const mount: MountBody = { Type: 'tmpfs', Target: volume.target };
      const options: NonNullable<MountBody['TmpfsOptions']> = {};
      if (volume.tmpfs?.size !== undefined) options.SizeBytes = volume.tmpfs.size;
      if (volume.tmpfs?.mode !== undefined) options.Mode = volume.tmpfs.mode;
      if (Object.keys(options).length > 0) mount.TmpfsOptions = options;
      return common(mount, volume);
    }
    case 'npipe':
      return common({ Type: 'npipe', Source: volume.source ?? '', Target: volume.target }, volume);
    case 'image':
    case 'cluster':
      // `type: image` needs API 1.47 (Engine 28) and `cluster` is Swarm CSI: an engine at API 1.41
      // has no way to honour them, so they are left out rather than failing the whole create.
      return undefined;
  }
}

function common(mount: MountBody, volume: ServiceVolume): MountBody {
  if (volume.read_only) mount.ReadOnly = true;
  if (volume.consistency !== undefined) mount.Consistency = volume.consistency;
  return mount;
}

/** `src:dst:ro,z,rshared`: SELinux relabelling exists only in the Binds syntax. */
function selinuxBind(volume: ServiceVolume, source: string): string {
  const modes = [volume.read_only ? 'ro' : 'rw', volume.bind?.selinux, volume.bind?.propagation].filter((m): m is string => m !== undefined);
  return `${source}:${volume.target}:${modes.join(',')}`;
}

/** `tmpfs:` list entries `path[:options]` -> HostConfig.Tmpfs. */
export function tmpfsMap(service: Pick<Service, 'tmpfs'>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of service.tmpfs) {
    const colon = entry.indexOf(':');
    if (colon < 0) out[entry] = '';
    else out[entry.slice(0, colon)] = entry.slice(colon + 1);
  }
  return out;
}

/**
 * `volumes_from` entries: `svc[:ro|rw]`, `service:svc[:ro|rw]` or `container:name[:ro|rw]`.
 * Services resolve to their first container, as Compose's resolveVolumeFrom does; the access
 * mode is kept (Compose drops it, which silently makes a `:ro` share writable).
 */
export function volumesFrom(service: Pick<Service, 'name' | 'volumes_from'>, names: ContainerNamesOf): string[] {
  return service.volumes_from.map((entry) => {
    const parts = entry.split(':');
    const last = parts[parts.length - 1];
    const mode = parts.length > 1 && (last === 'ro' || last === 'rw') ? last : undefined;
    const ref = (mode === undefined ? parts : parts.slice(0, -1)).join(':');
    const suffix = mode === undefined ? '' : `:${mode}`;
    if (ref.startsWith('container:')) return `${ref.slice('container:'.length)}${suffix}`;
    const target = ref.startsWith('service:') ? ref.slice('service:'.length) : ref;
    return `${firstContainerOf(names, service.name, target, 'volumes')}${suffix}`;
  });
}

interface FileReferences {
  mounts: MountBody[];
  copies: FileToCopy[];
}

/** Secrets and configs: a `file` source is bind-mounted read-only; others are copied in after create. */
function fileReferences(project: Project, service: Service): FileReferences {
  const out: FileReferences = { mounts: [], copies: [] };
  service.secrets.forEach((ref, index) => fileReference(project, service, 'secrets', ref, index, out));
  service.configs.forEach((ref, index) => fileReference(project, service, 'configs', ref, index, out));
  if (out.copies.length > 0 && service.read_only) {
    const first = out.copies[0]?.target ?? '';
    throw new SpecError(
      'SPEC_INVALID',
      project.sources.problem(['services', service.name, 'read_only'], `cannot write ${first} into a read-only container: only secrets and configs with a \`file:\` source can be used with read_only`, {
        hint: 'use `file:` for the secret/config, or drop `read_only: true`',
      }),
    );
  }
  return out;
}

function fileReference(project: Project, service: Service, kind: 'secrets' | 'configs', ref: ServiceFileReference, index: number, out: FileReferences): void {
  const refPath: KeyPath = ['services', service.name, kind, index];
  const definition = kind === 'secrets' ? project.secrets[ref.source] : project.configs[ref.source];
  const singular = kind === 'secrets' ? 'secret' : 'config';
  if (definition === undefined) {
    throw new SpecError('SPEC_INVALID', project.sources.problem(refPath, `${singular} ${JSON.stringify(ref.source)} is not defined`, { hint: `declare it under the top-level \`${kind}:\`` }));
  }
  if (definition.external) {
    throw new SpecError(
      'SPEC_INVALID',
      project.sources.problem([kind, ref.source, 'external'], `external ${kind} are a Swarm feature and cannot be used by a container`, {
        hint: `give the ${singular} a \`file:\` or \`environment:\` source`,
      }),
    );
  }
  const target = fileTarget(kind, ref);
  if (definition.file !== undefined) {
    // The engine bind-mounts the file as is: uid, gid and mode cannot be applied (Compose warns the same).
    out.mounts.push({ Type: 'bind', Source: definition.file, Target: target, ReadOnly: true });
    return;
  }
  // Only configs have inline `content`; secrets carry a file or a variable.
  const inline = kind === 'configs' ? (definition as Config).content : undefined;
  const content = inline ?? variableContent(project, kind, ref.source, definition.environment);
  if (content === undefined) return;
  const copy: FileToCopy = { target, content, mode: ref.mode ?? DEFAULT_FILE_MODE };
  const uid = numericId(project, [...refPath, 'uid'], ref.uid);
  const gid = numericId(project, [...refPath, 'gid'], ref.gid);
  if (uid !== undefined) copy.uid = uid;
  if (gid !== undefined) copy.gid = gid;
  out.copies.push(copy);
}

function variableContent(project: Project, kind: 'secrets' | 'configs', name: string, variable: string | undefined): string | undefined {
  if (variable === undefined) return undefined;
  const value = project.environment[variable];
  if (value === undefined) {
    throw new SpecError(
      'SPEC_INVALID',
      project.sources.problem([kind, name, 'environment'], `variable ${variable} is not set, and ${kind === 'secrets' ? 'secret' : 'config'} ${name} reads its content from it`, {
        hint: `set ${variable} in the shell or in the project's .env file`,
      }),
    );
  }
  return value;
}

/** Targets are absolute in the model; relative ones get Compose's base directories anyway. */
function fileTarget(kind: 'secrets' | 'configs', ref: ServiceFileReference): string {
  const base = kind === 'secrets' ? SECRETS_DIR : '/';
  if (ref.target === '') return `${base}${ref.source}`;
  return ref.target.startsWith('/') ? ref.target : `${base}${ref.target}`;
}

function numericId(project: Project, path: KeyPath, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const id = Number(value);
  if (!Number.isInteger(id) || id < 0) {
    throw new SpecError('SPEC_INVALID', project.sources.problem(path, `${JSON.stringify(value)} is not a numeric id`, { hint: 'the archive API sets owners by number: write e.g. "1000"' }));
  }
  return id;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
