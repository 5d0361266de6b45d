#!/usr/bin/env node
// Entry point of the `stack` binary (bundled to dist/stack.js by scripts/build.mjs).
//
// Start-up cost matters (`stack --version` should cost about as much as `node -e 0`), so the
// program is built from small modules and everything heavy is imported lazily:
//
//   cli/main.ts               this file: answers `--version` without loading anything, else
//                             loads the program and wires process streams to runCli.
//   cli/program.ts            the program, global flags (cli/global-options.ts), the VERBS table
//                             (a run imports and registers only the verb it names),
//                             error rendering and exit codes (StackError.exitCode).
//   cli/commands/<verb>.ts    one verb per file, two exports:
//     register(program, ctx)  declares the verb, its arguments and flags, and
//                             `.action(ctx.action(run))`. Imports only commander and types.
//     run({ args, flags, globals, ctx })
//                             1. checks flag conflicts (throw UsageError),
//                             2. converts flags to a core options type (ctx.projectOptions(globals, ...)),
//                             3. calls ONE function of core/api.ts, loaded with `await import(...)`,
//                             4. renders the returned data with cli/render/* (also `await import`),
//                             5. returns the exit status; failures are thrown as StackErrors and
//                                rendered by cli/render/error.ts in one place.
//   To add a verb: write cli/commands/<verb>.ts and add it to VERBS in cli/program.ts.
//   Never import yaml, ajv, dockerode or listr2 statically from cli/: only through `await import`,
//   so that esbuild puts them in chunks loaded when a verb runs.
// Inlined by scripts/build.mjs; the entry imports nothing, so that `--version` loads one file.
declare const __STACK_VERSION__: string | undefined;

const argv = process.argv.slice(2);

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  // Scripts call this to probe for stack: answer before parsing anything (same text as commander's).
  process.stdout.write(`stack version ${typeof __STACK_VERSION__ === 'string' ? __STACK_VERSION__ : '0.0.0-dev'}\n`);
} else {
  // Stack traces (--debug only) then point into the TypeScript sources rather than the bundle;
  // source maps are read as modules load, so this must come before loading the program.
  if (argv.includes('--debug')) process.setSourceMapsEnabled(true);
  // `stack config | head` closes the pipe early: that is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  const { runCli } = await import('./program.js');
  // process.exitCode rather than process.exit(): stdout may still be flushing to a pipe.
  process.exitCode = await runCli(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    readStdin,
  });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
