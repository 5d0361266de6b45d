// Stage: merging several spec files (and a service with its `extends` base), with Compose's
// rules (compose-go override/merge.go + uncity.go). The rules sit in one path-keyed table;
// supporting a new attribute is one line there. Later values win; `!reset` drops a key and
// `!override` replaces instead of merging. The SourceMap is merged beside the data so that
// each merged key (and each item of a merged list) points at the file that wrote it.
import type { KeyPath } from '../errors.js';
import { deepEqual, getKey, hasKey, isMapping, setKey, type Mapping } from './data.js';
import { isOverride, isReset, stripMarkers } from './markers.js';
import { SourceMap } from './source-map.js';

export interface Layer {
  data: Mapping;
  sources: SourceMap;
}

export type MergeRule =
  /** Later value replaces the earlier one (`command`). */
  | 'replace'
  /** Lists concatenated without duplicates; a string counts as a one-item list (`dns: 8.8.8.8`). */
  | 'append'
  /** `KEY=VAL` lists or mappings merged by key (`environment`, `labels`). */
  | 'keyValue'
  /** `host:ip` lists appended without duplicates, `host: ip` mappings merged by host. */
  | 'extraHosts'
  /** Lists of mounts merged by their target path (`volumes`). */
  | 'byTarget'
  /** Lists merged by `source` (`secrets`, `configs`). */
  | 'bySource'
  /** Lists merged by file path (`env_file`). */
  | 'byPath'
  /** A list of names or a mapping keyed by name (`networks`, `depends_on`). */
  | 'byName'
  /** `build: dir` is `build: {context: dir}`; then merged as a mapping. */
  | 'build'
  /** Options merge only while the driver stays the same. */
  | 'logging';

/** Path patterns (`*` = any key) -> rule. Anything else: mappings merge key by key, lists append without duplicates, scalars are replaced. */
export const MERGE_RULES: Readonly<Record<string, MergeRule>> = {
  'services.*.command': 'replace',
  'services.*.entrypoint': 'replace',
  'services.*.healthcheck.test': 'replace',
  'services.*.ulimits.*': 'replace',
  'services.*.build': 'build',
  'services.*.build.args': 'keyValue',
  'services.*.build.labels': 'keyValue',
  'services.*.build.extra_hosts': 'extraHosts',
  'services.*.environment': 'keyValue',
  'services.*.labels': 'keyValue',
  'services.*.annotations': 'keyValue',
  'services.*.sysctls': 'keyValue',
  'services.*.deploy.labels': 'keyValue',
  'services.*.extra_hosts': 'extraHosts',
  'services.*.volumes': 'byTarget',
  'services.*.devices': 'byTarget',
  'services.*.secrets': 'bySource',
  'services.*.configs': 'bySource',
  'services.*.env_file': 'byPath',
  'services.*.label_file': 'append',
  'services.*.networks': 'byName',
  'services.*.depends_on': 'byName',
  'services.*.logging': 'logging',
  'services.*.dns': 'append',
  'services.*.dns_search': 'append',
  'services.*.tmpfs': 'append',
  'networks.*.labels': 'keyValue',
  'volumes.*.labels': 'keyValue',
  'secrets.*.labels': 'keyValue',
  'configs.*.labels': 'keyValue',
};

const RULES = Object.entries(MERGE_RULES).map(([pattern, rule]) => ({ parts: pattern.split('.'), rule }));

export function ruleFor(path: KeyPath): MergeRule | undefined {
  for (const { parts, rule } of RULES) {
    if (parts.length !== path.length) continue;
    if (parts.every((part, i) => part === '*' || part === path[i])) return rule;
  }
  return undefined;
}

/** Merges a later file over an earlier one; neither input is changed. */
export function mergeLayers(base: Layer, over: Layer): Layer {
  const result = mergeTrees({ base: base.data, over: over.data, path: [], baseSources: base.sources, overSources: over.sources });
  return { data: isMapping(result.value) ? result.value : {}, sources: result.sources };
}

export interface MergeTreesInput {
  base: unknown;
  over: unknown;
  /** Where both values sit (rules are looked up by path; both maps hold them at this path). */
  path: KeyPath;
  baseSources: SourceMap;
  overSources: SourceMap;
}

/** Merges `over` into `base` at `path`; the returned map is `baseSources` updated with `overSources`. */
export function mergeTrees(input: MergeTreesInput): { value: unknown; sources: SourceMap } {
  const ctx: Ctx = { baseMap: input.baseSources, overMap: input.overSources, out: input.baseSources.clone(), overlays: [] };
  const value = mergeValue(stripMarkers(input.base), input.over, [...input.path], ctx);
  return { value, sources: ctx.out };
}

interface Ctx {
  baseMap: SourceMap;
  overMap: SourceMap;
  out: SourceMap;
  /** Positions of values whose shape changed (list -> mapping), by side and path; they win over the maps above. */
  overlays: { side: 'base' | 'over'; path: Path; map: SourceMap }[];
}

/** The map that knows positions under `path` on one side (an overlay when that value was reshaped). */
function mapFor(ctx: Ctx, side: 'base' | 'over', path: Path): SourceMap {
  for (let i = ctx.overlays.length - 1; i >= 0; i--) {
    const overlay = ctx.overlays[i]!;
    if (overlay.side === side && overlay.path.length <= path.length && overlay.path.every((part, j) => part === path[j])) return overlay.map;
  }
  return side === 'base' ? ctx.baseMap : ctx.overMap;
}

type Path = (string | number)[];
const DELETE = Symbol('delete');

function mergeValue(base: unknown, over: unknown, path: Path, ctx: Ctx): unknown {
  if (isReset(over)) {
    ctx.out.remove(path);
    return DELETE;
  }
  // An empty key in a later file (`environment:` with every line commented out) says nothing:
  // it must not wipe what earlier files set. `!reset` is the way to remove a value.
  if (over === null && base !== undefined && base !== null) return base;
  if (isOverride(over) || base === undefined || base === null) return replace(over, path, ctx);
  switch (ruleFor(path)) {
    case 'replace':
      return replace(over, path, ctx);
    case 'keyValue':
      return mergeKeyValue(base, over, path, ctx);
    case 'extraHosts':
      return mergeExtraHosts(base, over, path, ctx);
    case 'byTarget':
      return mergeListBy(asList(base), asList(over), path, ctx, mountTarget);
    case 'bySource':
      return mergeListBy(asList(base), asList(over), path, ctx, mountSource);
    case 'byPath':
      return mergeListBy(asList(base), asList(over), path, ctx, envFilePath);
    case 'append':
      return mergeListBy(asList(base), asList(over), path, ctx, () => undefined);
    case 'byName':
      return mergeByName(base, over, path, ctx);
    case 'build':
      return mergeBuild(base, over, path, ctx);
    case 'logging':
      return mergeLogging(base, over, path, ctx);
    case undefined:
      if (isMapping(base) && isMapping(over)) return mergeMappings(base, over, path, ctx);
      if (Array.isArray(base) && Array.isArray(over)) return mergeListBy(base, over, path, ctx, () => undefined);
      return replace(over, path, ctx);
  }
}

function replace(over: unknown, path: Path, ctx: Ctx): unknown {
  ctx.out.remove(path);
  ctx.out.copy(mapFor(ctx, 'over', path), path, path);
  return stripMarkers(over);
}

function mergeMappings(base: Mapping, over: Mapping, path: Path, ctx: Ctx): Mapping {
  const result: Mapping = {};
  for (const [key, value] of Object.entries(base)) setKey(result, key, value);
  for (const [key, value] of Object.entries(over)) {
    const childPath = [...path, key];
    const merged = hasKey(base, key) ? mergeValue(base[key], value, childPath, ctx) : isReset(value) ? DELETE : replace(value, childPath, ctx);
    if (merged === DELETE) {
      delete result[key];
      ctx.out.remove(childPath);
      continue;
    }
    const entry = value === null && merged !== null ? undefined : mapFor(ctx, 'over', childPath).entry(childPath);
    if (entry) ctx.out.record(childPath, entry);
    setKey(result, key, merged);
  }
  return result;
}

/** One item of a merged list and where its positions come from. */
interface Item {
  value: unknown;
  side: 'base' | 'over';
  from: Path;
}

const itemsOf = (list: unknown[], side: 'base' | 'over', path: Path): Item[] =>
  list.map((value, index) => ({ value, side, from: [...path, index] }));

/** Writes a merged list's positions: item k takes the entries of wherever it came from. */
function emitList(items: Item[], path: Path, ctx: Ctx): unknown[] {
  const out = ctx.out;
  out.remove(path, { keepSelf: true });
  const self = mapFor(ctx, 'over', path).entry(path);
  if (self) out.record(path, self);
  items.forEach((item, index) => out.copy(mapFor(ctx, item.side, item.from), item.from, [...path, index]));
  return items.map((item) => stripMarkers(item.value));
}

/** Later items with the same key replace earlier ones in place; items without a key are appended unless equal to one already there. */
function combine(base: Item[], over: Item[], keyOf: (value: unknown) => string | undefined): Item[] {
  const result = [...base];
  for (const item of over) {
    if (isReset(item.value)) continue;
    const key = keyOf(item.value);
    const index = key === undefined ? result.findIndex((old) => deepEqual(old.value, item.value)) : result.findIndex((old) => keyOf(old.value) === key);
    if (index >= 0) result[index] = item;
    else result.push(item);
  }
  return result;
}

function mergeListBy(base: unknown[], over: unknown[], path: Path, ctx: Ctx, keyOf: (value: unknown) => string | undefined): unknown[] {
  return emitList(combine(itemsOf(base, 'base', path), itemsOf(over, 'over', path), keyOf), path, ctx);
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/** `KEY=VAL` entries of a mapping, in list form (`KEY` alone for a null value). */
function mappingToItems(mapping: Mapping, side: 'base' | 'over', path: Path, separator: string): Item[] {
  const items: Item[] = [];
  for (const [key, value] of Object.entries(mapping)) {
    const from = [...path, key];
    if (Array.isArray(value)) for (const one of value) items.push({ value: `${key}${separator}${scalarText(one)}`, side, from });
    else items.push({ value: value === null || value === undefined ? key : `${key}${separator}${scalarText(value)}`, side, from });
  }
  return items;
}

const scalarText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value) ?? '');

function keyValueKey(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const eq = value.indexOf('=');
  return eq < 0 ? value : value.slice(0, eq);
}

function mergeKeyValue(base: unknown, over: unknown, path: Path, ctx: Ctx): unknown {
  if (isMapping(base) && isMapping(over)) return mergeMappings(base, over, path, ctx);
  const left = isMapping(base) ? mappingToItems(base, 'base', path, '=') : itemsOf(asList(base), 'base', path);
  const right = isMapping(over) ? mappingToItems(over, 'over', path, '=') : itemsOf(asList(over), 'over', path);
  return emitList(combine(left, right, keyValueKey), path, ctx);
}

function mergeExtraHosts(base: unknown, over: unknown, path: Path, ctx: Ctx): unknown {
  if (isMapping(base) && isMapping(over)) return mergeMappings(base, over, path, ctx);
  const left = isMapping(base) ? mappingToItems(base, 'base', path, '=') : itemsOf(asList(base), 'base', path);
  const right = isMapping(over) ? mappingToItems(over, 'over', path, '=') : itemsOf(asList(over), 'over', path);
  return emitList(combine(left, right, () => undefined), path, ctx);
}

/** `networks: [a, b]` vs `networks: {a: {...}}`: the list form is turned into the mapping form when the two differ. */
function mergeByName(base: unknown, over: unknown, path: Path, ctx: Ctx): unknown {
  if (Array.isArray(base) && Array.isArray(over)) return mergeListBy(base, over, path, ctx, () => undefined);
  const dependsOn = path[path.length - 1] === 'depends_on';
  const toMapping = (value: unknown, side: 'base' | 'over'): Mapping | undefined => {
    if (isMapping(value)) return value;
    if (!Array.isArray(value)) return undefined;
    const mapping: Mapping = {};
    const moves: [Path, Path][] = [];
    value.forEach((name, index) => {
      if (typeof name !== 'string') return;
      setKey(mapping, name, dependsOn ? { condition: 'service_started' } : null);
      moves.push([[...path, index], [...path, name]]);
    });
    remapSide(side, path, moves, ctx);
    return mapping;
  };
  const left = toMapping(base, 'base');
  const right = toMapping(over, 'over');
  if (!left || !right) return replace(over, path, ctx);
  return mergeMappings(left, right, path, ctx);
}

function mergeBuild(base: unknown, over: unknown, path: Path, ctx: Ctx): unknown {
  const toMapping = (value: unknown, side: 'base' | 'over'): Mapping | undefined => {
    if (isMapping(value)) return value;
    if (typeof value !== 'string') return undefined;
    remapSide(side, path, [[path, [...path, 'context']]], ctx);
    return { context: value };
  };
  const left = toMapping(base, 'base');
  const right = toMapping(over, 'over');
  if (!left || !right) return replace(over, path, ctx);
  return mergeMappings(left, right, path, ctx);
}

function mergeLogging(base: unknown, over: unknown, path: Path, ctx: Ctx): unknown {
  if (!isMapping(base) || !isMapping(over)) return replace(over, path, ctx);
  const before = getKey(base, 'driver');
  const after = getKey(over, 'driver');
  if (before !== undefined && after !== undefined && before !== after) return replace(over, path, ctx);
  return mergeMappings(base, over, path, ctx);
}

/** When one side's value changes shape (list -> mapping), its positions move with it. */
function remapSide(side: 'base' | 'over', path: Path, moves: [Path, Path][], ctx: Ctx): void {
  const source = mapFor(ctx, side, path);
  const moved = new SourceMap();
  const self = source.entry(path);
  if (self) moved.record(path, self);
  for (const [from, to] of moves) moved.copy(source, from, to);
  ctx.overlays.push({ side, path, map: moved });
  if (side === 'base') {
    ctx.out.remove(path);
    ctx.out.copy(moved, path, path);
  }
}

/** `./data:/data:ro` -> `/data`; `{target: /data}` -> `/data`; `/data` (anonymous) -> `/data`. */
export function mountTarget(value: unknown): string | undefined {
  if (isMapping(value)) return typeof value.target === 'string' ? value.target : undefined;
  if (typeof value !== 'string') return undefined;
  const parts = splitVolumeSpec(value);
  return parts.length === 1 ? parts[0] : parts[1];
}

/** Splits `src:dst:mode`, keeping Windows drive letters (`C:\x:/data`) in one piece. */
export function splitVolumeSpec(spec: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i]!;
    const driveLetter = c === ':' && current.length === 1 && /[A-Za-z]/.test(current) && (spec[i + 1] === '\\' || spec[i + 1] === '/') && parts.length === 0;
    if (c === ':' && !driveLetter) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

function mountSource(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return isMapping(value) && typeof value.source === 'string' ? value.source : undefined;
}

function envFilePath(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return isMapping(value) && typeof value.path === 'string' ? value.path : undefined;
}
