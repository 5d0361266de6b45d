// What a command needs from its surroundings, passed in rather than read from globals so that
// the CLI can run in-process in tests: streams, environment, working directory, stdin.
import type { Command } from 'commander';
import { homedir } from 'node:os';
import { defaultCacheDirectories } from '../core/load/cache-location.js';
import type { EarlyEngine } from '../core/engine/connect.js';
import type { ProjectOptions } from '../core/project-loader.js';
import { readGlobalOptions, type GlobalOptions } from './global-options.js';
import { shouldUseColor } from './render/color.js';

export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface CliIO {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
  cwd: string;
  readStdin: () => Promise<string>;
  /** The engine client with a request already on its way (cli/early-requests.ts), if one could be predicted. */
  earlyEngine?: EarlyEngine;
}

/** What a command's `run` receives: its arguments, its own flags and the global flags. */
export interface CommandInput<Flags> {
  args: unknown[];
  flags: Flags;
  globals: GlobalOptions;
  command: Command;
  ctx: CliContext;
}

/** A command's result: an exit status (default 0). Failures are thrown as StackErrors. */
export type RunResult = number | void;

export class CliContext {
  /** The globals of the command being run, once known: the error renderer needs --debug and --ansi. */
  globals: GlobalOptions | undefined;
  exitCode = 0;

  constructor(readonly io: CliIO) {}

  /** Wraps a command's `run` as a commander action. */
  action<Flags>(run: (input: CommandInput<Flags>) => Promise<RunResult>): (...raw: unknown[]) => Promise<void> {
    return async (...raw: unknown[]) => {
      const command = raw[raw.length - 1] as Command;
      const flags = raw[raw.length - 2] as Flags;
      const globals = readGlobalOptions(rootOf(command), command);
      this.globals = globals;
      const status = await run({ args: raw.slice(0, -2), flags, globals, command, ctx: this });
      this.exitCode = status ?? 0;
    };
  }

  /** The options every spec-reading command passes to core (load -> validate -> model -> graph). */
  projectOptions(globals: GlobalOptions, extra: { services?: string[]; interpolate?: boolean } = {}): ProjectOptions {
    const options: ProjectOptions = {
      files: globals.files,
      envFiles: globals.envFiles,
      environment: this.io.env,
      cwd: this.io.cwd,
      interpolate: extra.interpolate ?? true,
      readStdin: this.io.readStdin,
      profiles: globals.profiles,
      services: extra.services ?? [],
    };
    const caches = defaultCacheDirectories(this.io.env, this.io.env.HOME ?? homedir());
    if (caches !== undefined) {
      options.parseCacheDirectory = caches.parse;
      options.validationCacheDirectory = caches.valid;
      options.projectCacheDirectory = caches.project;
    }
    if (globals.projectName !== undefined) options.projectName = globals.projectName;
    if (globals.projectDirectory !== undefined) options.projectDirectory = globals.projectDirectory;
    return options;
  }

  out(text: string): void {
    this.io.stdout.write(text);
  }

  async warn(warnings: readonly string[]): Promise<void> {
    if (warnings.length === 0) return;
    const { renderWarnings } = await import('./render/error.js');
    this.io.stderr.write(renderWarnings(warnings, this.renderOptions()));
  }

  renderOptions(): { color: boolean; debug: boolean; cwd: string } {
    const ansi = this.globals?.ansi ?? 'auto';
    return { color: useColor(ansi, this.io.stderr, this.io.env), debug: this.globals?.debug ?? false, cwd: this.io.cwd };
  }
}

function rootOf(command: Command): Command {
  let root = command;
  while (root.parent) root = root.parent;
  return root;
}

/** --ansi always/never wins; otherwise NO_COLOR, FORCE_COLOR and the terminal decide (cli/render/color.ts). */
export function useColor(mode: GlobalOptions['ansi'], stream: OutputStream, env: Record<string, string | undefined>): boolean {
  const flag = mode === 'always' ? true : mode === 'never' ? false : undefined;
  return shouldUseColor({ ...(flag === undefined ? {} : { flag }), env, isTTY: stream.isTTY === true });
}
