// The `stack` program: global flags, the verbs, and the one place where errors become output
// and exit codes. Kept free of heavy imports: see the pattern at the top of cli/main.ts.
import { Command, CommanderError } from 'commander';
import { CliContext, type CliIO } from './context.js';
import { addGlobalOptions, inheritGlobalOptions, readGlobalOptions } from './global-options.js';
import { VERSION_TEXT } from './version.js';
import * as configCommand from './commands/config.js';
import * as versionCommand from './commands/version.js';
import * as psCommand from './commands/ps.js';
import * as runCommand from './commands/run.js';
import * as execCommand from './commands/exec.js';
import * as imagesCommand from './commands/images.js';
import * as logsCommand from './commands/logs.js';
import * as lsCommand from './commands/ls.js';
import * as portCommand from './commands/port.js';
import * as topCommand from './commands/top.js';
import * as waitCommand from './commands/wait.js';
import * as upCommand from './commands/up.js';
import * as downCommand from './commands/down.js';
import * as createCommand from './commands/create.js';
import * as startCommand from './commands/start.js';
import * as stopCommand from './commands/stop.js';
import * as restartCommand from './commands/restart.js';
import * as killCommand from './commands/kill.js';
import * as pauseCommand from './commands/pause.js';
import * as unpauseCommand from './commands/unpause.js';
import * as rmCommand from './commands/rm.js';
import * as scaleCommand from './commands/scale.js';
import * as watchCommand from './commands/watch.js';
import * as buildCommand from './commands/build.js';
import * as pullCommand from './commands/pull.js';
import * as pushCommand from './commands/push.js';

/** Each verb module: `register` declares the verb and its flags; its `run` is only reached when invoked. */
interface CommandModule {
  register(program: Command, ctx: CliContext): Command;
}

const COMMANDS: readonly CommandModule[] = [
  configCommand,
  execCommand,
  imagesCommand,
  logsCommand,
  lsCommand,
  portCommand,
  psCommand,
  runCommand,
  topCommand,
  versionCommand,
  waitCommand,
  upCommand,
  downCommand,
  createCommand,
  startCommand,
  stopCommand,
  restartCommand,
  killCommand,
  pauseCommand,
  unpauseCommand,
  rmCommand,
  scaleCommand,
  watchCommand,
  buildCommand,
  pullCommand,
  pushCommand,
];

export function createProgram(ctx: CliContext): Command {
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
  for (const module of COMMANDS) {
    const command = module.register(program, ctx);
    command.exitOverride().helpOption('-h, --help', 'show help');
    inheritGlobalOptions(command);
  }
  return program;
}

/** Runs the CLI on `argv` (without node and script) and returns the exit status. Never throws. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const ctx = new CliContext(io);
  const program = createProgram(ctx);
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

function safeGlobals(program: Command): CliContext['globals'] {
  try {
    return readGlobalOptions(program);
  } catch {
    return undefined;
  }
}
