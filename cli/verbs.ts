// Every verb of the CLI: one module per file of cli/commands/.
import type { Command } from 'commander';
import type { CliContext } from './context.js';

/** Each verb module: `register` declares the verb and its flags; its `run` is only reached when invoked. */
export interface CommandModule {
  register(program: Command, ctx: CliContext): Command;
}

/**
 * The verbs, in help order, as the bundle for help and unknown words loads them. A run that names
 * a verb loads that verb's own bundle instead (scripts/build.mjs makes one per file of
 * cli/commands/, each holding only its verb), so this table is not in those bundles.
 */
export const VERBS: Readonly<Record<string, () => Promise<CommandModule>>> = {
  config: () => import('./commands/config.js'),
  exec: () => import('./commands/exec.js'),
  images: () => import('./commands/images.js'),
  logs: () => import('./commands/logs.js'),
  ls: () => import('./commands/ls.js'),
  port: () => import('./commands/port.js'),
  ps: () => import('./commands/ps.js'),
  run: () => import('./commands/run.js'),
  top: () => import('./commands/top.js'),
  version: () => import('./commands/version.js'),
  wait: () => import('./commands/wait.js'),
  up: () => import('./commands/up.js'),
  down: () => import('./commands/down.js'),
  create: () => import('./commands/create.js'),
  start: () => import('./commands/start.js'),
  stop: () => import('./commands/stop.js'),
  restart: () => import('./commands/restart.js'),
  kill: () => import('./commands/kill.js'),
  pause: () => import('./commands/pause.js'),
  unpause: () => import('./commands/unpause.js'),
  rm: () => import('./commands/rm.js'),
  scale: () => import('./commands/scale.js'),
  watch: () => import('./commands/watch.js'),
  build: () => import('./commands/build.js'),
  pull: () => import('./commands/pull.js'),
  push: () => import('./commands/push.js'),
};
