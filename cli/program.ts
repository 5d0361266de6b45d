// The `stack` program: global flags, the verbs, and the one place where errors become output
// and exit codes. Kept free of heavy imports: see the pattern at the top of cli/main.ts.
import { Command, CommanderError } from 'commander';
import { CliContext, type CliIO } from './context.js';
import { addGlobalOptions, inheritGlobalOptions, readGlobalOptions } from './global-options.js';
import type { CommandModule } from './verbs.js';
import { VERSION_TEXT } from './version.js';
/**
 * The program with the given verbs. A run is given the one verb it names (its bundle holds no
 * other, see scripts/build.mjs); help or an unknown word is given all of them, so that help lists
 * them and commander can suggest the closest one.
 */
export function createProgram(ctx: CliContext, verbs: readonly CommandModule[]): Command {
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
  for (const module of verbs) {
    const command = module.register(program, ctx);
    command.exitOverride().helpOption('-h, --help', 'show help');
    inheritGlobalOptions(command);
  }
  return program;
}

/** Runs the CLI on `argv` (without node and script) with `verbs` and returns the exit status. Never throws. */
export async function runCli(argv: readonly string[], io: CliIO, verbs: readonly CommandModule[]): Promise<number> {
  const ctx = new CliContext(io);
  const program = createProgram(ctx, verbs);
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
