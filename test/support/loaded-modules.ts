// What a run of the built CLI actually loaded, as npm package names: the bundle's chunks are
// mapped back to their sources through their source maps. Start-up cost is mostly module
// loading, so tests pin down which heavy packages a fast path must not touch.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';

export const RECORD_IMPORTS = resolve(fileURLToPath(new URL('.', import.meta.url)), 'record-imports.mjs');

/** Node flags and environment that make a run write its resolved modules to `logFile`. */
export function recordingImports(logFile: string): { nodeArgs: string[]; env: Record<string, string> } {
  return { nodeArgs: ['--import', RECORD_IMPORTS], env: { STACK_IMPORT_LOG: logFile } };
}

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** npm packages whose code the run loaded: directly, or bundled into a loaded dist chunk. */
export function loadedPackages(logFile: string): string[] {
  return loadedModules(logFile).packages;
}

/** The packages and the repository's own source files (`core/validate/index.ts`) a run loaded. */
export function loadedModules(logFile: string): { packages: string[]; sources: string[] } {
  const packages = new Set<string>();
  const sources = new Set<string>();
  const urls = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').filter(Boolean) : [];
  for (const url of urls) {
    if (!url.startsWith('file:')) continue;
    const file = fileURLToPath(url);
    const direct = packageOf(file);
    if (direct) packages.add(direct);
    if (file.includes('/dist/') && existsSync(`${file}.map`)) {
      const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] };
      for (const source of map.sources) {
        const path = join(file, '..', source);
        const bundled = packageOf(path);
        if (bundled) packages.add(bundled);
        else if (path.startsWith(`${REPO}/`)) sources.add(path.slice(REPO.length + 1));
      }
    }
  }
  return { packages: [...packages].sort(), sources: [...sources].sort() };
}

function packageOf(file: string): string | undefined {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
  return match?.[1];
}
