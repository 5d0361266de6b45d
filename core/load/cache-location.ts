// Where the start-up caches live. Apart from the caches themselves so that every command can
// ask (cli/context.ts) without loading their code and node:crypto.
import path from 'node:path';

/** `$XDG_CACHE_HOME/stack/parse`, else `~/.cache/stack/parse`; STACK_NO_CACHE=1 turns it off. */
export function defaultParseCacheDirectory(env: Record<string, string | undefined>, home: string): string | undefined {
  if (env.STACK_NO_CACHE && env.STACK_NO_CACHE !== '0') return undefined;
  const base = env.XDG_CACHE_HOME || (home ? path.join(home, '.cache') : undefined);
  return base ? path.join(base, 'stack', 'parse') : undefined;
}
