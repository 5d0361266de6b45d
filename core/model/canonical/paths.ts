// Host paths in the spec: `~` from HOME, relative ones against the project directory (paths
// that came through `extends`/`include` are already absolute, so resolve() keeps them).
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import type { TransformContext } from './context.js';

export function expandHome(ctx: TransformContext, path: string): string {
  if (path !== '~' && !path.startsWith('~/')) return path;
  const home = ctx.environment.HOME ?? homedir();
  return home + path.slice(1);
}

export function hostPath(ctx: TransformContext, path: string): string {
  const expanded = expandHome(ctx, path);
  return isAbsolute(expanded) ? resolve(expanded) : resolve(ctx.workingDir, expanded);
}

/** Build contexts may be remote: git URLs and `scheme://` contexts are kept as written. */
export function isRemoteContext(context: string): boolean {
  return /^(https?:\/\/|git@|git:\/\/|github\.com\/|ssh:\/\/|[a-z][a-z0-9+.-]*:\/\/)/i.test(context);
}
