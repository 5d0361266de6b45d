// Service `volumes`: short syntax `src:dst[:mode]` -> long syntax (compose-go format.ParseVolume),
// and long syntax with its host paths resolved and sizes in bytes.
import { posix } from 'node:path';
import type { KeyPath } from '../../errors.js';
import type { ServiceVolume, VolumeType } from '../types.js';
import { describe, expectBoolean, expectNumber, expectRecord, expectString, fail, isRecord, type TransformContext } from './context.js';
import { hostPath } from './paths.js';
import { byteSizeAt } from './units.js';

const PROPAGATIONS = ['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate'];
const TYPES: readonly VolumeType[] = ['bind', 'volume', 'tmpfs', 'npipe', 'image', 'cluster'];

export function serviceVolumesAt(ctx: TransformContext, value: unknown, path: KeyPath): ServiceVolume[] {
  if (!Array.isArray(value)) fail(ctx, path, `expected a list of volumes, got ${describe(value)}`);
  return value.map((entry, index) => {
    const at = [...path, index];
    if (typeof entry === 'string') return shortVolume(ctx, entry, at);
    if (isRecord(entry)) return longVolume(ctx, entry, at);
    fail(ctx, at, `expected a volume string or mapping, got ${describe(entry)}`);
  });
}

function isHostPath(source: string): boolean {
  return source.startsWith('/') || source.startsWith('.') || source.startsWith('~');
}

function cleanTarget(target: string): string {
  return target === '' ? target : posix.normalize(target).replace(/(.)\/$/, '$1');
}

export function shortVolume(ctx: TransformContext, spec: string, path: KeyPath): ServiceVolume {
  const parts = spec.split(':');
  if (parts.length > 3 || parts.some((part) => part === '')) {
    fail(ctx, path, `invalid volume ${JSON.stringify(spec)}`, 'write "SOURCE:TARGET[:MODE]", e.g. "./data:/data:ro", or use the long syntax');
  }
  if (parts.length === 1) return { type: 'volume', target: cleanTarget(parts[0] as string), volume: {} };
  const [source, target, modes] = parts as [string, string, string | undefined];
  const volume: ServiceVolume = isHostPath(source)
    ? { type: 'bind', source: hostPath(ctx, source), target: cleanTarget(target), bind: { create_host_path: true } }
    : { type: 'volume', source, target: cleanTarget(target), volume: {} };
  for (const mode of modes === undefined ? [] : modes.split(',')) applyMode(ctx, volume, mode, path);
  return volume;
}

function applyMode(ctx: TransformContext, volume: ServiceVolume, mode: string, path: KeyPath): void {
  if (mode === 'ro') volume.read_only = true;
  else if (mode === 'rw') volume.read_only = false;
  else if (mode === 'z' || mode === 'Z') volume.bind = { ...volume.bind, selinux: mode };
  else if (PROPAGATIONS.includes(mode)) volume.bind = { ...volume.bind, propagation: mode };
  else if (mode === 'nocopy') volume.volume = { ...volume.volume, nocopy: true };
  else if (['consistent', 'cached', 'delegated'].includes(mode)) volume.consistency = mode;
  else fail(ctx, path, `unknown volume mode ${JSON.stringify(mode)}`, 'modes are ro, rw, z, Z, nocopy, and the propagations shared/slave/private (r-prefixed too)');
  if (volume.read_only === false) delete volume.read_only;
}

function longVolume(ctx: TransformContext, entry: Record<string, unknown>, path: KeyPath): ServiceVolume {
  const type = (entry.type ?? 'volume') as VolumeType;
  if (!TYPES.includes(type)) fail(ctx, [...path, 'type'], `unknown volume type ${JSON.stringify(entry.type)}`, `use one of ${TYPES.join(', ')}`);
  if (entry.target === undefined) fail(ctx, path, 'a volume mapping needs a `target` (the path in the container)');
  const volume: ServiceVolume = { type, target: cleanTarget(expectString(ctx, entry.target, [...path, 'target'])) };
  if (entry.source !== undefined && entry.source !== null && entry.source !== '') {
    const source = expectString(ctx, entry.source, [...path, 'source']);
    volume.source = type === 'bind' ? hostPath(ctx, source) : source;
  } else if (type === 'bind') fail(ctx, path, 'a bind mount needs a `source` (the host path)');
  if (entry.read_only !== undefined && expectBoolean(ctx, entry.read_only, [...path, 'read_only'])) volume.read_only = true;
  if (typeof entry.consistency === 'string') volume.consistency = entry.consistency;
  if (entry.bind !== undefined && entry.bind !== null) volume.bind = bindOptions(ctx, entry.bind, [...path, 'bind']);
  if (entry.volume !== undefined && entry.volume !== null) volume.volume = volumeOptions(ctx, entry.volume, [...path, 'volume']);
  if (entry.tmpfs !== undefined && entry.tmpfs !== null) volume.tmpfs = tmpfsOptions(ctx, entry.tmpfs, [...path, 'tmpfs']);
  if (isRecord(entry.image) && typeof entry.image.subpath === 'string') volume.image = { subpath: entry.image.subpath };
  else if (isRecord(entry.image)) volume.image = {};
  return volume;
}

function bindOptions(ctx: TransformContext, value: unknown, path: KeyPath): NonNullable<ServiceVolume['bind']> {
  const raw = expectRecord(ctx, value, path);
  const bind: NonNullable<ServiceVolume['bind']> = {};
  if (raw.propagation !== undefined) bind.propagation = expectString(ctx, raw.propagation, [...path, 'propagation']);
  // compose-go defaults create_host_path to true whenever a `bind:` block is written without it.
  bind.create_host_path = raw.create_host_path === undefined ? true : expectBoolean(ctx, raw.create_host_path, [...path, 'create_host_path']);
  if (raw.selinux === 'z' || raw.selinux === 'Z') bind.selinux = raw.selinux;
  else if (raw.selinux !== undefined) fail(ctx, [...path, 'selinux'], 'selinux must be "z" or "Z"');
  return bind;
}

function volumeOptions(ctx: TransformContext, value: unknown, path: KeyPath): NonNullable<ServiceVolume['volume']> {
  const raw = expectRecord(ctx, value, path);
  const out: NonNullable<ServiceVolume['volume']> = {};
  if (raw.nocopy !== undefined && expectBoolean(ctx, raw.nocopy, [...path, 'nocopy'])) out.nocopy = true;
  if (raw.subpath !== undefined) out.subpath = expectString(ctx, raw.subpath, [...path, 'subpath']);
  return out;
}

function tmpfsOptions(ctx: TransformContext, value: unknown, path: KeyPath): NonNullable<ServiceVolume['tmpfs']> {
  const raw = expectRecord(ctx, value, path);
  const out: NonNullable<ServiceVolume['tmpfs']> = {};
  if (raw.size !== undefined) out.size = byteSizeAt(ctx, raw.size, [...path, 'size']);
  if (raw.mode !== undefined) {
    out.mode = typeof raw.mode === 'string' ? parseInt(raw.mode, 8) : expectNumber(ctx, raw.mode, [...path, 'mode']);
    if (!Number.isFinite(out.mode)) fail(ctx, [...path, 'mode'], `invalid file mode ${JSON.stringify(raw.mode)}`);
  }
  return out;
}
