// Resolved projects, remembered between runs. Loading, validating and modelling a spec, then
// hashing every service, is a pure function of the command's options, its environment, the files
// the load looked at (core/load/spec-reads.ts: the ones read, and the ones found missing) and
// stack's own code; for 200 services it costs a `stack up` that changes nothing more than all the
// rest of its work. An entry stores the result under a hash of the options and environment, with
// every file look the load made; a run reuses it only when each look sees the same thing again
// (same kind, same content digest) and the code that made it is this build's.
//
// An entry is three lines: the header (file looks, warnings, service hashes, the variables that
// came from .env files), the project as JSON, and its source positions packed
// (core/load/source-packing.ts), decoded only when an error needs a position. The shell's
// variables are not stored: they are part of the key, and given again by every run.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { maybePrune } from './cache-pruning.js';
import { fingerprint } from './digests.js';
import { STDIN } from './load/discover.js';
import { SourceMap } from './load/source-map.js';
import { packSourceEntries, serialiseExactly, unpackSourceEntries } from './load/source-packing.js';
import { kindOnDisk, type FileKind, type RecordingReads } from './load/spec-reads.js';
import { emptyService } from './model/empty-service.js';
import type { Project, Service } from './model/types.js';
import { networkConfigHash, rememberConfigHash, serviceConfig, volumeConfigHash } from './observe/hash.js';
import type { LoadedProject, ProjectOptions } from './project-loader.js';

/** Bump when an entry's layout changes; the model's own changes are covered by the build's stamp. */
const FORMAT = 'stack-project-v5';

export interface ProjectCacheOptions {
  directory: string;
  /** The identity of the code that loads and models specs (stamped by scripts/build.mjs). */
  modelId: string;
}

/**
 * A file the load looked at: its path, what was there, and for a file it read, the fingerprint of
 * its text and its size, times and inode as stat gave them after the load.
 */
type Input = [file: string, kind: FileKind, digest: string | null, stat: FileStat | null];
type FileStat = [size: number, mtimeMs: number, ctimeMs: number, ino: number];

/**
 * A file whose stat is unchanged is taken as unchanged without reading it through the fingerprint,
 * unless it changed within this long before the load read it: the kernel's timestamps are coarse,
 * and a later write in the same tick would leave the same times (git's "racily clean" files).
 */
const RACY_MS = 2000;

interface Header {
  inputs: Input[];
  /** When the load that made the entry began reading (ms since the epoch). */
  readAt: number;
  warnings: string[];
  /** Config hashes (core/observe/hash.ts) by key, of the active services, the networks and the volumes. */
  hashes: Record<HashedSection, Record<string, string>>;
  /** project.environment minus the shell's own variables: what .env files added. */
  fromFiles: Record<string, string>;
  /** The source map's files (as named in its positions) -> the index of the input holding that text. */
  texts: [name: string, input: number][];
}

type HashedSection = 'services' | 'networks' | 'volumes';
const HASHED: readonly HashedSection[] = ['services', 'networks', 'volumes'];

/** What a cache hit gives: the project without the loader's intermediate spec. */
export type CachedProject = Pick<LoadedProject, 'project' | 'warnings'>;

/** The project these options resolved to before, if nothing it was made from has changed. */
export function reuseProject(options: ProjectOptions, cache: ProjectCacheOptions): CachedProject | undefined {
  const file = entryFile(options, cache);
  if (file === undefined) return undefined;
  let entry: EntryLines | undefined;
  let header: Header;
  try {
    entry = entryLines(readFileSync(file));
    if (entry === undefined) return undefined;
    header = JSON.parse(entry.header) as Header;
  } catch {
    return undefined;
  }
  const inputTexts = unchangedTexts(header.inputs, header.readAt);
  if (inputTexts === undefined) return undefined;
  let project: Project;
  try {
    project = JSON.parse(entry.project) as Project;
  } catch {
    return undefined;
  }
  project.services = withDefaults(project.services);
  project.disabledServices = withDefaults(project.disabledServices);
  project.environment = withShell(header.fromFiles, options.environment);
  const positions = entry.positions;
  const texts = header.texts.map(([name, input]): [string, string] => [name, inputTexts.get(header.inputs[input]![0]) ?? '']);
  project.sources = SourceMap.lazy(texts, () => unpackSourceEntries(positions.toString('utf8'), project.configFiles[0] ?? ''));
  for (const section of HASHED) {
    for (const [key, resource] of Object.entries(project[section])) {
      const hash = header.hashes[section]?.[key];
      if (hash !== undefined) rememberConfigHash(resource, hash);
    }
  }
  return { project, warnings: header.warnings };
}

/**
 * Remembers a project resolved with recorded reads. Its service hashes are computed now (and
 * remembered for this run's planner too); the entry is written once the current work yields, so
 * that the command does not wait for it. That relies on what holds everywhere already (the hash
 * memo relies on it too): a loaded project is never changed in place, commands copy what they
 * adjust (withPullPolicy, oneOffSpec). Any failure only means no entry.
 */
export function storeProject(options: ProjectOptions, cache: ProjectCacheOptions, loaded: CachedProject, reads: RecordingReads): void {
  const file = entryFile(options, cache);
  if (file === undefined) return;
  const { project } = loaded;
  const hashes: Header['hashes'] = { services: {}, networks: {}, volumes: {} };
  for (const [name, service] of Object.entries(project.services)) {
    hashes.services[name] = serviceConfig(service, project).hash;
    rememberConfigHash(service, hashes.services[name]);
  }
  for (const [key, network] of Object.entries(project.networks)) hashes.networks[key] = networkConfigHash(network);
  for (const [key, volume] of Object.entries(project.volumes)) hashes.volumes[key] = volumeConfigHash(volume);
  const seen = [...reads.seen];
  setImmediate(() => {
    const texts = sourceTexts(project, seen.map(([, observation]) => observation.text));
    if (texts === undefined) return;
    const inputs = seen.map(([file, { kind, text }]): Input => (text === undefined ? [file, kind, null, null] : [file, kind, digest(text), statOf(file) ?? null]));
    const header: Header = { inputs, readAt: reads.startedAt, warnings: loaded.warnings, hashes, fromFiles: withoutShell(project.environment, options.environment), texts };
    const body = serialiseExactly({
      ...project,
      services: withoutDefaults(project.services),
      disabledServices: withoutDefaults(project.disabledServices),
      sources: undefined,
      environment: undefined,
    });
    if (body === undefined) return;
    write(file, `${JSON.stringify(header)}\n${body}\n${packSourceEntries(project.sources.entryList())}`);
  });
}

/** An entry's three lines; the positions (the largest) stay bytes until an error asks for one. */
interface EntryLines {
  header: string;
  project: string;
  positions: Buffer;
}

function entryLines(bytes: Buffer): EntryLines | undefined {
  const first = bytes.indexOf(NEWLINE);
  const second = first < 0 ? -1 : bytes.indexOf(NEWLINE, first + 1);
  // Written whole then renamed (write()): exactly three lines, the last without a newline (JSON
  // escapes its own).
  if (second < 0 || bytes.indexOf(NEWLINE, second + 1) >= 0) return undefined;
  return { header: bytes.toString('utf8', 0, first), project: bytes.toString('utf8', first + 1, second), positions: bytes.subarray(second + 1) };
}

const NEWLINE = 0x0a;

/** Where the entry for these options lives; undefined when they cannot be cached (a spec on stdin). */
function entryFile(options: ProjectOptions, cache: ProjectCacheOptions): string | undefined {
  if (options.files.includes(STDIN)) return undefined;
  const key = {
    format: FORMAT,
    model: cache.modelId,
    files: options.files,
    projectDirectory: options.projectDirectory ?? null,
    projectName: options.projectName ?? null,
    envFiles: options.envFiles,
    cwd: options.cwd,
    interpolate: options.interpolate,
    profiles: options.profiles,
    services: options.services,
    includeDependencies: options.includeDependencies ?? true,
    environment: definedEntries(options.environment).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  };
  return path.join(cache.directory, `${digest(JSON.stringify(key))}.json`);
}

/**
 * Which input holds the text of each file of the source map (the map names files as messages
 * show them); undefined if one is no input (it came from elsewhere: then nothing is stored).
 */
function sourceTexts(project: Project, inputTexts: readonly (string | undefined)[]): [string, number][] | undefined {
  const out: [string, number][] = [];
  for (const name of project.sources.files()) {
    const index = inputTexts.indexOf(project.sources.text(name));
    if (index < 0) return undefined;
    out.push([name, index]);
  }
  return out;
}

/** Each input's text again when every look sees what it saw before; undefined at the first difference. */
function unchangedTexts(inputs: readonly Input[], readAt: number): Map<string, string> | undefined {
  const texts = new Map<string, string>();
  for (const [file, kind, expected, stat] of inputs) {
    if (expected === null) {
      if (kindOnDisk(file) !== kind) return undefined;
      continue;
    }
    const now = statOf(file);
    if (now === undefined) return undefined;
    const settled = stat !== null && now.every((value, index) => value === stat[index]) && now[2] < readAt - RACY_MS;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    if (!settled && digest(text) !== expected) return undefined;
    texts.set(file, text);
  }
  return texts;
}

function statOf(file: string): FileStat | undefined {
  try {
    const info = statSync(file);
    return [info.size, info.mtimeMs, info.ctimeMs, info.ino];
  } catch {
    return undefined;
  }
}

/**
 * Services without the fields that still hold emptyService's defaults (most of a service's ~30
 * fields are empty collections): a third of the text for JSON.parse to read on every reuse.
 */
function withoutDefaults(services: Record<string, Service>): Record<string, Partial<Service>> {
  const out: Record<string, Partial<Service>> = {};
  for (const [name, service] of Object.entries(services)) {
    const defaults = emptyService(name) as unknown as Record<string, unknown>;
    const kept: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(service)) if (key === 'name' || !isDefault(value, defaults[key])) kept[key] = value;
    out[name] = kept as Partial<Service>;
  }
  return out;
}

/**
 * The services back, each field left out by withoutDefaults given its default again (in the model's
 * key order). Assigned key by key: a spread of two objects takes V8's slow path in code that runs
 * once, about 25 us a service (5 ms of a no-op `up` at 200 services) against 5 us.
 */
function withDefaults(services: Record<string, Partial<Service>>): Record<string, Service> {
  const out: Record<string, Service> = {};
  for (const name of Object.keys(services)) {
    const stored = services[name] as Record<string, unknown>;
    const service = emptyService(name) as unknown as Record<string, unknown>;
    for (const key of Object.keys(stored)) service[key] = stored[key];
    out[name] = service as unknown as Service;
  }
  return out;
}

function isDefault(value: unknown, fallback: unknown): boolean {
  if (value === fallback) return true;
  if (Array.isArray(value)) return Array.isArray(fallback) && value.length === 0 && fallback.length === 0;
  const empty = (item: unknown): boolean => item !== null && typeof item === 'object' && !Array.isArray(item) && Object.keys(item).length === 0;
  return empty(value) && empty(fallback);
}

function withShell(fromFiles: Record<string, string>, shell: Record<string, string | undefined>): Record<string, string> {
  const environment = { ...fromFiles };
  for (const [name, value] of definedEntries(shell)) environment[name] = value;
  return environment;
}

function withoutShell(environment: Record<string, string>, shell: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(environment)) if (shell[name] !== value) out[name] = value;
  return out;
}

function definedEntries(record: Record<string, string | undefined>): [string, string][] {
  return Object.entries(record).filter((entry): entry is [string, string] => entry[1] !== undefined);
}

const digest = fingerprint;

function write(file: string, text: string): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // Write then rename: a concurrent reader sees the whole entry or none. Owner-only: the model
    // holds the services' resolved environment.
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, text, { mode: 0o600 });
    renameSync(temporary, file);
    maybePrune(path.dirname(file));
  } catch {
    // A read-only or full disk only costs the next run a load.
  }
}
