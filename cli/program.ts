// The `stack` program: global flags, the verbs, and the one place where errors become output
// and exit codes. Kept free of heavy imports: see the pattern at the top of cli/main.ts.
import { Command, CommanderError } from 'commander';
import { CliContext, type CliIO } from './context.js';
import { addGlobalOptions, globalOptionTakesValue, inheritGlobalOptions, readGlobalOptions } from './global-options.js';
import { VERSION_TEXT } from './version.js';
/** Each verb module: `register` declares the verb and its flags; its `run` is only reached when invoked. */
interface CommandModule {
  register(program: Command, ctx: CliContext): Command;
}

/**
 * The verbs, in help order. Each is imported only when needed: a run registers just the verb it
 * names (declaring all of them costs more than a small verb's whole work); help, a missing or an
 * unknown verb registers all, so that help lists them and commander can suggest the closest one.
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

/** The program with the verbs `argv` needs (all of them when `argv` is undefined). */
export async function createProgram(ctx: CliContext, argv?: readonly string[]): Promise<Command> {
  const program = new Command('stack')
    .description('Run multi-container applications from Compose files')
    .usage('[options] <command> [args]')
    .version(VERSION_TEXT, '-v, --version', 'show the stack version')
    .helpOption('-h, --help', 'show help')
    .enablePositionalOptions()
    .showSuggestionAfterError(true)
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.io.stdout.write(text),
      writeErr: (text) => ctx.io.stderr.write(text),
    });
  addGlobalOptions(program);
  const verb = argv === undefined ? undefined : verbOf(argv);
  const names = verb !== undefined && Object.hasOwn(VERBS, verb) ? [verb] : Object.keys(VERBS);
  const modules = await Promise.all(names.map((name) => VERBS[name]!()));
  for (const module of modules) {
    const command = module.register(program, ctx);
    command.exitOverride().helpOption('-h, --help', 'show help');
    inheritGlobalOptions(command);
  }
  return program;
}

/** Runs the CLI on `argv` (without node and script) and returns the exit status. Never throws. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const ctx = new CliContext(io);
  const program = await createProgram(ctx, argv);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ctx.exitCode;
  } catch (error) {
    // Help and --version are reported by commander as "errors" with exit code 0; parse errors
    // (unknown verb or flag, with a suggestion) were already printed by commander.
    if (error instanceof CommanderError) return error.exitCode;
    ctx.globals ??= safeGlobals(program);
    const { renderError } = await import('./render/error.js');
    io.stderr.write(renderError(error, ctx.renderOptions()));
    const { toStackError } = await import('../core/errors.js');
    return toStackError(error).exitCode;
  }
}

/**
 * The first word of `argv` that is not a global option or its value: the verb. Undefined when
 * there is none or help is asked for (then every verb is registered).
 */
export function verbOf(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '-h' || word === '--help' || word === 'help') return undefined;
    if (!word.startsWith('-') || word === '-') return word;
    if (word === '--') return argv[i + 1];
    if (!word.includes('=') && globalOptionTakesValue(word)) i++;
  }
  return undefined;
}

function safeGlobals(program: Command): CliContext['globals'] {
  try {
    return readGlobalOptions(program);
  } catch {
    return undefined;
  }
}
