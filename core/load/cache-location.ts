// Where the start-up caches live. Apart from the caches themselves so that every command can
// ask (cli/context.ts) without loading their code and node:crypto.
import path from 'node:path';

export interface CacheDirectories {
  /** Parsed spec files (core/load/parse-cache.ts). */
  parse: string;
  /** Markers of specs that passed validation (core/validate/validation-cache.ts). */
  valid: string;
  /** V8 code of the CLI's bundles (cli/bundle-loader.ts). */
  code: string;
  /** Resolved projects (core/project-cache.ts). */
  project: string;
}

/** Under `$XDG_CACHE_HOME/stack`, else `~/.cache/stack`; STACK_NO_CACHE=1 turns the caches off. */
export function defaultCacheDirectories(env: Record<string, string | undefined>, home: string): CacheDirectories | undefined {
  if (env.STACK_NO_CACHE && env.STACK_NO_CACHE !== '0') return undefined;
  const base = env.XDG_CACHE_HOME || (home ? path.join(home, '.cache') : undefined);
  if (!base) return undefined;
  const under = (name: string): string => path.join(base, 'stack', name);
  return { parse: under('parse'), valid: under('valid'), code: under('code'), project: under('project') };
}
