// Cross-field checks the schema cannot express: references between services and to top-level
// resources, mutually exclusive keys, clashing host ports. A rule table keyed by path patterns
// (`services.*.depends_on`): adding a check is one line plus one small function.
//
// The rules run on the plain merged data, possibly after the schema already found problems, so
// each rule checks shapes itself and skips what it does not understand (the schema reports it).
import { formatKeyPath, SpecError, type KeyPath, type SpecProblem } from '../errors.js';
import type { LocationPart } from '../load/source-map.js';
import type { LoadedSpec } from '../load/types.js';
import { sortProblems } from './problems.js';
import { didYouMean, nameHint } from './suggest.js';
import { isNamedVolumeSource, parseBoolean, parseInteger, parsePortMapping, parsePortRange, parseVolumeMapping, type PortRange } from './syntax.js';

type Data = Record<string, unknown>;

const SERVICE_NAME = /^[a-zA-Z0-9._-]+$/;

interface Match {
  path: KeyPath;
  value: unknown;
}

interface RuleContext {
  data: Data;
  /** Keys of the top-level sections. */
  defined: { services: string[]; networks: string[]; volumes: string[]; secrets: string[]; configs: string[] };
  report(path: KeyPath, message: string, options?: { hint?: string; part?: LocationPart }): void;
}

interface Rule {
  /** Dotted path; `*` matches every key of a mapping. */
  pattern: string;
  check(match: Match, context: RuleContext): void;
}

const RULES: readonly Rule[] = [
  { pattern: 'services.*', check: imageOrBuild },
  { pattern: 'services.*.depends_on', check: dependsOnServices },
  { pattern: 'services.*.links', check: linkedServices },
  { pattern: 'services.*.volumes_from', check: volumesFromServices },
  { pattern: 'services.*.network_mode', check: namespaceService },
  { pattern: 'services.*.ipc', check: namespaceService },
  { pattern: 'services.*.pid', check: namespaceService },
  { pattern: 'services.*.networks', check: definedNetworks },
  { pattern: 'services.*.networks', check: networksWithNetworkMode },
  { pattern: 'services.*.volumes', check: definedVolumes },
  { pattern: 'services.*.secrets', check: definedFiles('secrets') },
  { pattern: 'services.*.build.secrets', check: definedFiles('secrets') },
  { pattern: 'services.*.configs', check: definedFiles('configs') },
  { pattern: 'services.*.scale', check: scaleMatchesReplicas },
  { pattern: 'services.*.container_name', check: containerNameNotScaled },
  { pattern: 'services', check: uniquePublishedPorts },
];

/** Every consistency problem of the spec, positioned; empty when consistent. */
export function consistencyProblems(spec: LoadedSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const data = spec.data;
  const context: RuleContext = {
    data,
    defined: {
      services: keysOf(data['services']),
      networks: keysOf(data['networks']),
      volumes: keysOf(data['volumes']),
      secrets: keysOf(data['secrets']),
      configs: keysOf(data['configs']),
    },
    report: (path, message, options = {}) => problems.push(spec.sources.problem(path, message, options)),
  };
  for (const rule of RULES) {
    for (const match of matchPattern(data, rule.pattern.split('.'))) rule.check(match, context);
  }
  return problems;
}

/** Throws one SpecError('SPEC_INVALID') listing all consistency problems of the spec. */
export function validateConsistency(spec: LoadedSpec): void {
  const problems = sortProblems(consistencyProblems(spec), spec.sources.files());
  if (problems.length > 0) throw new SpecError('SPEC_INVALID', problems);
}

function matchPattern(data: unknown, pattern: readonly string[], path: KeyPath = []): Match[] {
  const [head, ...rest] = pattern;
  if (head === undefined) return [{ path, value: data }];
  if (!isRecord(data)) return [];
  const keys = head === '*' ? Object.keys(data) : Object.hasOwn(data, head) ? [head] : [];
  return keys.flatMap((key) => matchPattern(data[key], rest, [...path, key]));
}

// --- rules -------------------------------------------------------------------------------

function imageOrBuild({ path, value }: Match, context: RuleContext): void {
  if (!isRecord(value) || value['image'] !== undefined || value['build'] !== undefined) return;
  context.report(path, `service "${serviceOf(path)}" has neither an image nor a build`, {
    part: 'key',
    hint: 'add "image: <name>" to run an existing image, or "build: <directory>" to build one from a Dockerfile',
  });
}

function dependsOnServices({ path, value }: Match, context: RuleContext): void {
  if (Array.isArray(value)) {
    value.forEach((name, index) => {
      if (typeof name === 'string') requireService(context, [...path, index], name, 'value');
    });
    return;
  }
  if (!isRecord(value)) return;
  for (const [name, options] of Object.entries(value)) {
    // `required: false` makes a missing dependency a warning at start time, not a spec error.
    const required = isRecord(options) ? options['required'] : undefined;
    if ((typeof required === 'boolean' || typeof required === 'string') && parseBoolean(required) === false) continue;
    requireService(context, [...path, name], name, 'key');
  }
}

function linkedServices({ path, value }: Match, context: RuleContext): void {
  forEachString(value, (entry, index) => requireService(context, [...path, index], entry.split(':')[0] ?? entry, 'value'));
}

function volumesFromServices({ path, value }: Match, context: RuleContext): void {
  forEachString(value, (entry, index) => {
    if (entry.startsWith('container:')) return;
    requireService(context, [...path, index], entry.split(':')[0] ?? entry, 'value');
  });
}

/** `network_mode`, `ipc`, `pid`: `service:NAME` must name a service of this project. */
function namespaceService({ path, value }: Match, context: RuleContext): void {
  if (typeof value !== 'string' || !value.startsWith('service:')) return;
  const key = String(path[path.length - 1]);
  requireService(context, path, value.slice('service:'.length), 'value', `${key}: service:NAME must name a service of this project; use container:NAME for other containers`);
}

function definedNetworks({ path, value }: Match, context: RuleContext): void {
  const defined = context.defined.networks;
  const check = (name: string, at: KeyPath, part: LocationPart): void => {
    // `default` exists without being declared: the project's implicit network.
    if (name === 'default' || defined.includes(name)) return;
    context.report(at, `network "${name}" is not defined`, {
      part,
      hint: nameHint(name, defined, `declare it under the top-level "networks:" key`),
    });
  };
  if (Array.isArray(value)) forEachString(value, (name, index) => check(name, [...path, index], 'value'));
  else if (isRecord(value)) for (const name of Object.keys(value)) check(name, [...path, name], 'key');
}

function networksWithNetworkMode({ path, value }: Match, context: RuleContext): void {
  const networkMode = serviceAt(context, path)['network_mode'];
  const count = Array.isArray(value) ? value.length : isRecord(value) ? Object.keys(value).length : 0;
  if (typeof networkMode !== 'string' || count === 0) return;
  context.report(path, `"networks" cannot be used together with "network_mode: ${networkMode}"`, {
    part: 'key',
    hint: 'network_mode puts the container in another network stack: remove either networks or network_mode',
  });
}

function definedVolumes({ path, value }: Match, context: RuleContext): void {
  if (!Array.isArray(value)) return;
  const defined = context.defined.volumes;
  value.forEach((entry, index) => {
    const named = namedVolumeOf(entry);
    if (named === undefined || defined.includes(named.name)) return;
    const at = named.field === undefined ? [...path, index] : [...path, index, named.field];
    context.report(at, `volume "${named.name}" is not defined`, {
      hint:
        didYouMean(named.name, defined) ??
        `declare it under the top-level "volumes:" key, or write "./${named.name}" to mount a directory next to the spec file`,
    });
  });
}

function namedVolumeOf(entry: unknown): { name: string; field?: string } | undefined {
  if (typeof entry === 'string') {
    const source = parseVolumeMapping(entry)?.source;
    return source !== undefined && isNamedVolumeSource(source) ? { name: source } : undefined;
  }
  if (isRecord(entry) && entry['type'] === 'volume' && typeof entry['source'] === 'string' && entry['source'] !== '') {
    return { name: entry['source'], field: 'source' };
  }
  return undefined;
}

function definedFiles(kind: 'secrets' | 'configs'): Rule['check'] {
  const noun = kind === 'secrets' ? 'secret' : 'config';
  return ({ path, value }, context) => {
    if (!Array.isArray(value)) return;
    const defined = context.defined[kind];
    value.forEach((entry, index) => {
      const long = isRecord(entry);
      const name = long ? entry['source'] : entry;
      if (typeof name !== 'string' || defined.includes(name)) return;
      context.report(long ? [...path, index, 'source'] : [...path, index], `${noun} "${name}" is not defined`, {
        hint: nameHint(name, defined, `declare it under the top-level "${kind}:" key`),
      });
    });
  };
}

function scaleMatchesReplicas({ path, value }: Match, context: RuleContext): void {
  const replicas = replicasOf(context, path);
  const scale = toCount(value);
  if (scale === undefined || replicas === undefined || scale === replicas) return;
  context.report(path, `scale (${scale}) and deploy.replicas (${replicas}) disagree`, {
    hint: 'set only one of them, or give both the same value',
  });
}

function containerNameNotScaled({ path, value }: Match, context: RuleContext): void {
  if (typeof value !== 'string') return;
  const servicePath = path.slice(0, -1);
  const count = replicasOf(context, path) ?? toCount(serviceAt(context, path)['scale']);
  if (count === undefined || count <= 1) return;
  context.report(path, `container_name "${value}" cannot be used with ${count} replicas`, {
    hint: `container names are unique: remove container_name from ${formatKeyPath(servicePath)} or run one replica`,
  });
}

interface Publication {
  service: string;
  path: KeyPath;
  hostIp: string;
  ports: PortRange;
  protocol: string;
  profiles: string[];
}

function uniquePublishedPorts({ value }: Match, context: RuleContext): void {
  if (!isRecord(value)) return;
  const seen: Publication[] = [];
  for (const [service, config] of Object.entries(value)) {
    if (!isRecord(config) || !Array.isArray(config['ports'])) continue;
    const profiles = Array.isArray(config['profiles']) ? config['profiles'].filter((p): p is string => typeof p === 'string') : [];
    config['ports'].forEach((entry, index) => {
      const publication = publicationOf(entry, { service, path: ['services', service, 'ports', index], profiles });
      if (!publication) return;
      const clash = seen.find((other) => clashes(other, publication));
      if (clash) reportClash(context, clash, publication);
      else seen.push(publication);
    });
  }
}

function publicationOf(entry: unknown, base: { service: string; path: KeyPath; profiles: string[] }): Publication | undefined {
  let hostIp: string | undefined;
  let ports: PortRange | undefined;
  let target: PortRange | undefined;
  let protocol = 'tcp';
  let path = base.path;
  if (typeof entry === 'string') {
    const mapping = parsePortMapping(entry);
    if (!mapping) return undefined;
    ({ hostIp, published: ports, target, protocol } = mapping);
  } else if (isRecord(entry)) {
    const published = entry['published'];
    if (typeof published !== 'string' && typeof published !== 'number') return undefined;
    ports = parsePortRange(String(published));
    const targetPort = parseInteger(typeof entry['target'] === 'number' || typeof entry['target'] === 'string' ? entry['target'] : '');
    if (targetPort !== undefined) target = { start: targetPort, end: targetPort };
    if (typeof entry['host_ip'] === 'string') hostIp = entry['host_ip'];
    if (typeof entry['protocol'] === 'string') protocol = entry['protocol'];
    path = [...path, 'published'];
  }
  if (!ports || !target) return undefined;
  // A host range for a single container port is a pool the engine picks from, not a fixed claim.
  const fixed = ports.start === ports.end || ports.end - ports.start === target.end - target.start;
  if (!fixed || (ports.start === 0 && ports.end === 0)) return undefined;
  return { ...base, path, hostIp: hostIp === undefined || hostIp === '' ? '0.0.0.0' : hostIp, ports, protocol: protocol.toLowerCase() };
}

function clashes(a: Publication, b: Publication): boolean {
  if (a.hostIp !== b.hostIp || a.protocol !== b.protocol) return false;
  if (a.ports.end < b.ports.start || b.ports.end < a.ports.start) return false;
  // Services in disjoint profiles are alternatives (web vs web-dev) and never run together by default.
  const alternatives = a.profiles.length > 0 && b.profiles.length > 0 && !a.profiles.some((p) => b.profiles.includes(p));
  return !alternatives;
}

function reportClash(context: RuleContext, first: Publication, second: Publication): void {
  const { start, end } = second.ports;
  const port = start === end ? `${start}` : `${start}-${end}`;
  const host = second.hostIp === '0.0.0.0' ? '' : `${second.hostIp}:`;
  const owner = first.service === second.service ? 'this service' : `service "${first.service}"`;
  context.report(second.path, `host port ${host}${port}/${second.protocol} is already published by ${owner} (${formatKeyPath(first.path)})`, {
    hint: 'only one container can listen on a host port: change one of the two host ports',
  });
}

// --- helpers -----------------------------------------------------------------------------

function requireService(context: RuleContext, path: KeyPath, name: string, part: LocationPart, fallbackHint?: string): void {
  const defined = context.defined.services;
  // A name no service can have is the schema's to report (depends_on keys are checked there).
  if (defined.includes(name) || !SERVICE_NAME.test(name)) return;
  context.report(path, `service "${name}" is not defined`, {
    part,
    hint: didYouMean(name, defined) ?? fallbackHint ?? nameHint(name, defined, 'no services are defined'),
  });
}

function replicasOf(context: RuleContext, path: KeyPath): number | undefined {
  const deploy = serviceAt(context, path)['deploy'];
  return isRecord(deploy) ? toCount(deploy['replicas']) : undefined;
}

function toCount(value: unknown): number | undefined {
  return typeof value === 'number' || typeof value === 'string' ? parseInteger(value) : undefined;
}

function serviceOf(path: KeyPath): string {
  return String(path[1]);
}

/** The service a `services.*...` match is in (rules only run where it is a mapping). */
function serviceAt(context: RuleContext, path: KeyPath): Data {
  const services = context.data['services'];
  const service = isRecord(services) ? services[serviceOf(path)] : undefined;
  return isRecord(service) ? service : {};
}

function forEachString(value: unknown, visit: (entry: string, index: number) => void): void {
  if (!Array.isArray(value)) return;
  value.forEach((entry, index) => {
    if (typeof entry === 'string') visit(entry, index);
  });
}

function keysOf(value: unknown): string[] {
  return isRecord(value) ? Object.keys(value) : [];
}

function isRecord(value: unknown): value is Data {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
