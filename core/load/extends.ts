// Stage: `extends`. A service takes a base service (same file, or `{file, service}` relative
// to the declaring file), resolved first (chains), and merges its own keys over it with the
// rules of merge.ts. A base from a file whose paths resolve elsewhere has its relative paths
// made absolute first. Positions of inherited keys still point at the base file.
import path from 'node:path';
import { SpecError } from '../errors.js';
import type { FileLayer, LoaderContext, Scope } from './context.js';
import { getKey, hasKey, isMapping, setKey, type Mapping } from './data.js';
import { readLayer } from './load-file.js';
import { mergeTrees } from './merge.js';
import { rebaseServicePaths } from './paths.js';
import { SourceMap } from './source-map.js';

interface Link {
  file: string;
  service: string;
}

/** Resolves every `extends` of a file's services, in place. */
export async function resolveExtends(layer: FileLayer, scope: Scope, ctx: LoaderContext): Promise<void> {
  const services = getKey(layer.data, 'services');
  if (!isMapping(services)) return;
  for (const name of Object.keys(services)) await resolveService(layer, name, [], scope, ctx);
}

async function resolveService(layer: FileLayer, name: string, chain: Link[], scope: Scope, ctx: LoaderContext): Promise<void> {
  const services = getKey(layer.data, 'services') as Mapping;
  const service = getKey(services, name);
  if (!isMapping(service) || !hasKey(service, 'extends')) return;
  const at = ['services', name, 'extends'];
  const here: Link = { file: layer.file, service: name };
  if (chain.some((link) => link.file === here.file && link.service === here.service)) {
    const start = chain.findIndex((link) => link.file === here.file && link.service === here.service);
    const names = [...chain.slice(start), here].map((link) => (link.file === layer.file ? link.service : `${link.service} (${ctx.display(link.file)})`));
    throw new SpecError('EXTENDS', layer.sources.problem(at, `extends cycle: ${names.join(' -> ')}`, { hint: 'a service cannot extend itself, directly or through other services' }));
  }
  const ref = parseRef(service.extends, layer, at);
  const baseLayer = ref.file === undefined ? layer : await loadBaseFile(path.resolve(layer.dir, ref.file), layer, at, scope, ctx);
  const baseServices = getKey(baseLayer.data, 'services');
  // `base:` with nothing under it is an empty service, not a missing one.
  if (isMapping(baseServices) && hasKey(baseServices, ref.service) && getKey(baseServices, ref.service) === null) setKey(baseServices, ref.service, {});
  if (!isMapping(baseServices) || !isMapping(getKey(baseServices, ref.service))) {
    const known = isMapping(baseServices) ? Object.keys(baseServices) : [];
    const where = baseLayer === layer ? '' : ` in ${ctx.display(baseLayer.file)}`;
    throw new SpecError('EXTENDS', layer.sources.problem(at, `service "${name}" extends unknown service "${ref.service}"${where}`, {
      hint: known.length > 0 ? `services there: ${known.join(', ')}` : 'that file defines no services',
    }));
  }
  await resolveService(baseLayer, ref.service, [...chain, here], scope, ctx);

  let base = getKey(baseServices, ref.service);
  if (baseLayer.baseDir !== layer.baseDir) base = rebaseServicePaths(base, baseLayer.baseDir);
  const servicePath = ['services', name];
  const baseSources = new SourceMap();
  baseSources.graft(baseLayer.sources, ['services', ref.service], servicePath);
  const local: Mapping = {};
  for (const [key, value] of Object.entries(service)) if (key !== 'extends') setKey(local, key, value);
  const merged = mergeTrees({ base, over: local, path: servicePath, baseSources, overSources: layer.sources });
  setKey(services, name, merged.value);
  const self = layer.sources.entry(servicePath);
  layer.sources.remove(servicePath, { keepSelf: true });
  layer.sources.copy(merged.sources, servicePath, servicePath);
  if (self) layer.sources.record(servicePath, self);
}

function parseRef(value: unknown, layer: FileLayer, at: (string | number)[]): { service: string; file?: string } {
  if (typeof value === 'string' && value !== '') return { service: value };
  if (isMapping(value) && typeof value.service === 'string' && value.service !== '') {
    const file = getKey(value, 'file');
    if (file === undefined || file === null) return { service: value.service };
    if (typeof file === 'string' && file !== '') return { service: value.service, file };
  }
  throw new SpecError('EXTENDS', layer.sources.problem(at, '`extends` must be a service name or a mapping with `service` (and optionally `file`)', {
    hint: 'e.g. `extends: base` or `extends: {file: common.yaml, service: base}`',
  }));
}

async function loadBaseFile(file: string, from: FileLayer, at: (string | number)[], scope: Scope, ctx: LoaderContext): Promise<FileLayer> {
  if (file === from.file) return from;
  let pending = scope.extendsCache.get(file);
  if (!pending) {
    pending = readLayer({ file, baseDir: path.dirname(file), scope }, ctx);
    scope.extendsCache.set(file, pending);
  }
  try {
    return await pending;
  } catch (error) {
    if (error instanceof SpecError && error.code === 'SPEC_NOT_FOUND') {
      throw new SpecError('EXTENDS', from.sources.problem(at, `extends file not found: ${ctx.display(file)}`, {
        hint: '`extends.file` is relative to the file that declares it',
      }));
    }
    throw error;
  }
}
