// Relative paths inside a service (or a top-level secret/config) resolve against the directory
// of the file that wrote them. When a definition moves to another file's context (`extends`
// from a file in another folder, `include`), its relative paths are made absolute first,
// as Compose does, so that they keep pointing at the same place.
import path from 'node:path';
import { getKey, isMapping, setKey, type Mapping } from './data.js';
import { splitVolumeSpec } from './merge.js';

const isRemote = (value: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(value) || value.startsWith('git@') || value.startsWith('github.com/');

/** `.`, `./x`, `../x`, `x/y`: a path to resolve; absolute, `~`, remote and interpolated leftovers are kept. */
function resolvePath(value: unknown, dir: string): unknown {
  if (typeof value !== 'string' || value === '' || value.includes('${') || path.isAbsolute(value) || value.startsWith('~') || isRemote(value)) return value;
  return path.resolve(dir, value);
}

/** A bind source in short syntax starts with `.` (`./data:/data`); anything else is a volume name or absolute. */
function rebaseShortVolume(spec: string, dir: string): string {
  const parts = splitVolumeSpec(spec);
  const source = parts[0];
  if (parts.length < 2 || source === undefined || !(source === '.' || source.startsWith('./') || source.startsWith('../') || source === '..')) return spec;
  return [path.resolve(dir, source), ...parts.slice(1)].join(':');
}

function rebaseVolume(volume: unknown, dir: string): unknown {
  if (typeof volume === 'string') return rebaseShortVolume(volume, dir);
  if (isMapping(volume) && getKey(volume, 'type') === 'bind') {
    const out = { ...volume };
    setKey(out, 'source', resolvePath(getKey(volume, 'source'), dir));
    return out;
  }
  return volume;
}

function rebaseFileList(value: unknown, dir: string): unknown {
  const one = (item: unknown): unknown => {
    if (isMapping(item) && typeof item.path === 'string') return { ...item, path: resolvePath(item.path, dir) };
    return resolvePath(item, dir);
  };
  return Array.isArray(value) ? value.map(one) : one(value);
}

function rebaseBuild(build: unknown, dir: string): unknown {
  if (typeof build === 'string') return resolvePath(build, dir);
  if (!isMapping(build)) return build;
  const out = { ...build };
  setKey(out, 'context', resolvePath(getKey(build, 'context') ?? '.', dir));
  return out;
}

/** Returns a copy of the service with `build.context`, `env_file`, `label_file` and bind sources absolute. */
export function rebaseServicePaths(service: unknown, dir: string): unknown {
  if (!isMapping(service)) return service;
  const out: Mapping = {};
  for (const [key, value] of Object.entries(service)) {
    let next = value;
    if (key === 'build') next = rebaseBuild(value, dir);
    else if (key === 'env_file' || key === 'label_file') next = rebaseFileList(value, dir);
    else if (key === 'volumes' && Array.isArray(value)) next = value.map((volume) => rebaseVolume(volume, dir));
    setKey(out, key, next);
  }
  return out;
}

/** Top-level `secrets:` / `configs:` entries read from `file:`. */
export function rebaseFileResource(resource: unknown, dir: string): unknown {
  if (!isMapping(resource) || typeof resource.file !== 'string') return resource;
  return { ...resource, file: resolvePath(resource.file, dir) };
}

/** Rebases every path-bearing definition of a spec (used for included sub-projects). */
export function rebaseSpecPaths(data: Mapping, dir: string): Mapping {
  const out: Mapping = { ...data };
  const services = getKey(data, 'services');
  if (isMapping(services)) {
    const next: Mapping = {};
    for (const [name, service] of Object.entries(services)) setKey(next, name, rebaseServicePaths(service, dir));
    setKey(out, 'services', next);
  }
  for (const kind of ['secrets', 'configs']) {
    const group = getKey(data, kind);
    if (!isMapping(group)) continue;
    const next: Mapping = {};
    for (const [name, resource] of Object.entries(group)) setKey(next, name, rebaseFileResource(resource, dir));
    setKey(out, kind, next);
  }
  return out;
}
