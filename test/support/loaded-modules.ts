// What a run of the built CLI actually loaded: the files (bundles, vendor files, packages from
// node_modules) and, through the source maps of the bundles, the npm packages and the
// repository's source files inside them. Start-up cost is mostly loading code, so tests pin
// down which heavy parts a fast path must not touch.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';

export const RECORD_LOADS = resolve(fileURLToPath(new URL('.', import.meta.url)), 'record-loads.cjs');

/** Node flags and environment that make a run write the files it loads to `logFile`. */
export function recordingLoads(logFile: string): { nodeArgs: string[]; env: Record<string, string> } {
  return { nodeArgs: ['--require', RECORD_LOADS], env: { STACK_LOAD_LOG: logFile } };
}

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface LoadedModules {
  /** The CLI's bundles by name, without hash: `ps`, `vendor/yaml`, `vendor/validator`. */
  bundles: string[];
  /** npm packages: required from node_modules, or bundled into a loaded bundle. */
  packages: string[];
  /** The repository's own source files inside the loaded bundles (`core/load/index.ts`). */
  sources: string[];
}

export function loadedModules(logFile: string): LoadedModules {
  const bundles = new Set<string>();
  const packages = new Set<string>();
  const sources = new Set<string>();
  const files = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').filter(Boolean) : [];
  for (const file of files) {
    const direct = packageOf(file);
    if (direct) packages.add(direct);
    const bundle = /\/dist\/cli\/((?:vendor\/)?[\w-]+?)-[A-Z0-9]{8}\.cjs$/.exec(file);
    if (bundle) bundles.add(bundle[1]!);
    if (!file.includes('/dist/') || !existsSync(`${file}.map`)) continue;
    const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] };
    for (const source of map.sources) {
      const path = join(file, '..', source);
      const bundled = packageOf(path);
      if (bundled) packages.add(bundled);
      else if (path.startsWith(`${REPO}/`)) sources.add(path.slice(REPO.length + 1));
    }
  }
  return { bundles: [...bundles].sort(), packages: [...packages].sort(), sources: [...sources].sort() };
}

function packageOf(file: string): string | undefined {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
  return match?.[1];
}
