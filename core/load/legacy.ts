// Stage: old spec formats. A version-1 (Fig) file has its services at the top level
// (`web:`, `redis:`) and no `services:` key; it is moved under `services:`. A `version:` key
// (any format) is accepted and dropped with a warning, as Compose v2 does.
//
// Network choice for v1 services: Compose 1.29 gave them `network_mode: bridge`, so they ran on
// Docker's default bridge and found each other only through `links`. We leave the network
// unset instead, so they join the project's default network like any current spec: every
// service is reachable by its name there, `links` still work (as aliases), and the project
// stays isolated from other containers on the host bridge. `net:` is kept as `network_mode`.
import { describeProblem } from '../errors.js';
import { getKey, hasKey, isMapping, setKey, type Mapping } from './data.js';
import type { Layer } from './merge.js';
import { SourceMap } from './source-map.js';

/** Top-level keys of the current format; a file using any of them is not a v1 file. */
const CURRENT_KEYS = new Set(['services', 'networks', 'volumes', 'secrets', 'configs', 'include', 'name', 'models']);
const SERVICE_HINT_KEYS = ['image', 'build', 'command', 'ports', 'links', 'environment', 'volumes', 'net', 'expose', 'entrypoint'];

export function isLegacySpec(data: Mapping): boolean {
  const version = getKey(data, 'version');
  const candidates = Object.keys(data).filter((key) => key !== 'version' && !key.startsWith('x-'));
  if (candidates.length === 0 || candidates.some((key) => CURRENT_KEYS.has(key))) return false;
  if (!candidates.every((key) => isMapping(data[key]))) return false;
  if (version === '1' || version === 1) return true;
  if (version !== undefined) return false;
  return candidates.some((key) => SERVICE_HINT_KEYS.some((hint) => hasKey(data[key] as Mapping, hint)));
}

/** Upgrades a v1 file and drops `version`; returns the layer unchanged when there is nothing to do. */
export function upgradeLegacy(layer: Layer, warn: (warning: string) => void): Layer {
  let { data, sources } = layer;
  if (isLegacySpec(data)) {
    warn(describeProblem(sources.problem([], 'this is a version 1 (Fig) spec: its top-level keys are read as services; consider moving them under `services:`')));
    const upgraded: Mapping = {};
    const services: Mapping = {};
    const moved = new SourceMap();
    moved.record([], sources.entry([]) ?? { value: { file: '', line: 1, col: 1 } });
    for (const [key, value] of Object.entries(data)) {
      if (key === 'version' || key.startsWith('x-')) {
        setKey(upgraded, key, value);
        moved.copy(sources, [key], [key]);
        continue;
      }
      setKey(services, key, upgradeService(value as Mapping));
      moved.copy(sources, [key], ['services', key]);
      const net = getKey(value as Mapping, 'net');
      if (net !== undefined) moved.copy(sources, [key, 'net'], ['services', key, 'network_mode']);
      if (getKey(value as Mapping, 'dockerfile') !== undefined) moved.copy(sources, [key, 'dockerfile'], ['services', key, 'build', 'dockerfile']);
    }
    // `services:` itself was never written; point it at the first service.
    const first = Object.keys(services)[0];
    const firstEntry = first === undefined ? undefined : moved.entry(['services', first]);
    if (firstEntry) moved.record(['services'], firstEntry);
    setKey(upgraded, 'services', services);
    moved.mergeFrom(textsOnly(sources));
    data = upgraded;
    sources = moved;
  }
  if (hasKey(data, 'version')) {
    warn(describeProblem(sources.problem(['version'], 'the attribute `version` is obsolete and ignored; remove it to avoid confusion', { part: 'key' })));
    const rest: Mapping = {};
    for (const [key, value] of Object.entries(data)) if (key !== 'version') setKey(rest, key, value);
    data = rest;
  }
  return { data, sources };
}

function upgradeService(service: Mapping): Mapping {
  const out: Mapping = {};
  for (const [key, value] of Object.entries(service)) {
    if (key === 'net') setKey(out, 'network_mode', value);
    else if (key !== 'dockerfile') setKey(out, key, value);
  }
  // v1 wrote `dockerfile:` beside `build: <dir>`; it now lives inside `build`.
  const dockerfile = getKey(service, 'dockerfile');
  if (dockerfile !== undefined) {
    const build = getKey(service, 'build');
    setKey(out, 'build', isMapping(build) ? { ...build, dockerfile } : { context: typeof build === 'string' ? build : '.', dockerfile });
  }
  return out;
}

/** A map with the files' texts (for code frames) but no entries. */
function textsOnly(sources: SourceMap): SourceMap {
  const map = new SourceMap();
  for (const file of sources.files()) {
    const text = sources.text(file);
    if (text !== undefined) map.addText(file, text);
  }
  return map;
}
