// What a CLI bundle runs (the bundles are made by scripts/build.mjs, loaded by cli/main.ts): the
// program over this process's streams, environment and working directory.
import type { EarlyEngine } from '../core/engine/connect.js';
import type { CliIO } from './context.js';
import { runCli } from './program.js';
import type { CommandModule } from './verbs.js';

/**
 * Runs `argv` with `verbs` and sets the process's exit status; resolves when the command is done.
 * `early`: engine reads the launcher sent ahead (cli/early-requests.ts), for the engine client.
 */
export async function runProcess(argv: readonly string[], verbs: () => Promise<readonly CommandModule[]>, early?: EarlyEngine): Promise<void> {
  const io = processIO();
  if (early !== undefined) io.earlyEngine = early;
  // process.exitCode rather than process.exit(): stdout may still be flushing to a pipe.
  process.exitCode = await runCli(argv, io, await verbs());
}

/**
 * This process's streams, environment and directory. The streams are set up on first use: a
 * command that prints nothing (`config -q`) then never pays for them (a pipe loads node:net, ~3 ms).
 */
function processIO(): CliIO {
  let stdout: NodeJS.WriteStream | undefined;
  return {
    get stdout() {
      if (stdout === undefined) {
        stdout = process.stdout;
        // `stack config | head` closes the pipe early: that is not an error worth a stack trace.
        stdout.on('error', (error: NodeJS.ErrnoException) => {
          if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
          throw error;
        });
      }
      return stdout;
    },
    get stderr() {
      return process.stderr;
    },
    env: process.env,
    cwd: process.cwd(),
    readStdin,
  };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
