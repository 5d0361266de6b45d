// The on-disk caches (parsed files, accepted specs) gain an entry per edited version of a spec:
// a watch session saving all day would fill a folder. Every so often a writer trims the folder
// to its newest entries; anything removed only costs a later run a parse or a validation.
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

export interface PruneOptions {
  /** Above this many entries the folder is trimmed... */
  max: number;
  /** ...to this many, the most recently written kept. */
  keep: number;
  /** Chance that a write checks the folder at all (listing it costs more than the write). */
  probability: number;
  random?: () => number;
}

export const CACHE_PRUNING: PruneOptions = { max: 1000, keep: 500, probability: 1 / 50 };

/**
 * Compiled code (cli/bundle-loader.ts): a few hundred kB an entry, written only on a bundle's
 * first run of a build, so every write checks; 200 entries are several builds of every verb.
 */
export const CODE_CACHE_PRUNING: PruneOptions = { max: 200, keep: 100, probability: 1 };

/** Sometimes (see PruneOptions.probability) trims `directory` to its newest `keep` entries. */
export function maybePrune(directory: string, options: PruneOptions = CACHE_PRUNING): void {
  if ((options.random ?? Math.random)() >= options.probability) return;
  try {
    // Entries are files; a folder beside them (the parse cache's recent texts) is not one.
    const names = readdirSync(directory, { withFileTypes: true }).filter((entry) => !entry.isDirectory()).map((entry) => entry.name);
    if (names.length <= options.max) return;
    const aged = names.map((name) => {
      const file = path.join(directory, name);
      try {
        return { file, mtime: statSync(file).mtimeMs };
      } catch {
        return { file, mtime: 0 };
      }
    });
    aged.sort((a, b) => b.mtime - a.mtime);
    for (const { file } of aged.slice(options.keep)) rmSync(file, { force: true });
  } catch {
    // Another process pruning at the same time, or a folder gone: nothing to do.
  }
}
