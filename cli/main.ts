#!/usr/bin/env node
// The `stack` launcher (bundled to dist/stack.cjs by scripts/build.mjs). Start-up is most of a
// short command's cost, so a run loads as little as it can:
//
//   cli/main.ts               this file: answers `--version` at once; else finds the verb in argv
//                             (cli/verb-of.ts), sends the engine reads it predicts
//                             (cli/early-requests.ts), loads that verb's bundle with V8's code
//                             cache (cli/bundle-loader.ts) and calls its `main`.
//   dist/cli/<verb>-<hash>.cjs   one bundle per file of cli/commands/ (scripts/build.mjs): the
//                             program (cli/program.ts, cli/run-process.ts) with that verb alone
//                             and what it uses; all-verbs-<hash>.cjs for help and unknown words.
//   dist/cli/vendor/*.cjs      the big packages some runs need and others not (yaml, listr2,
//                             tar-fs, chokidar, the schema validator), required when first used.
//   cli/program.ts            the program, global flags (cli/global-options.ts), error rendering
//                             and exit codes (StackError.exitCode).
//   cli/commands/<verb>.ts    one verb per file, two exports:
//     register(program, ctx)  declares the verb, its arguments and flags, and
//                             `.action(ctx.action(run))`. Imports only commander and types.
//     run({ args, flags, globals, ctx })
//                             1. checks flag conflicts (throw UsageError),
//                             2. converts flags to a core options type (ctx.projectOptions(globals, ...)),
//                             3. calls ONE function of core/ops, loaded with `await import(...)`,
//                             4. renders the returned data with cli/render/* (also `await import`),
//                             5. returns the exit status; failures are thrown as StackErrors and
//                                rendered by cli/render/error.ts in one place.
//   To add a verb: write cli/commands/<verb>.ts and add it to VERBS in cli/verbs.ts.
//   Import yaml, listr2, tar-fs, chokidar and dockerode only through `await import` or from
//   modules reached that way: a static import would load them on every run of the verb.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { defaultCacheDirectories } from '../core/load/cache-location.js';
import { BundleLoader } from './bundle-loader.js';
import type { EarlyEngine } from '../core/engine/connect.js';
import { startEarlyReads } from './early-requests.js';
import { verbOf } from './verb-of.js';

/** The bundles of this build, relative to dist/ (inlined by scripts/build.mjs). */
declare const __STACK_BUNDLES__: { verbs: Record<string, string>; all: string; utf8: string[] };
declare const __STACK_VERSION__: string;

interface CliBundle {
  main(argv: readonly string[], early?: EarlyEngine): Promise<void>;
}

const argv = process.argv.slice(2);

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  // Scripts call this to probe for stack: answer before loading anything (same text as commander's).
  process.stdout.write(`stack version ${__STACK_VERSION__}\n`);
} else {
  const verb = verbOf(argv);
  const relative = verb !== undefined && Object.hasOwn(__STACK_BUNDLES__.verbs, verb) ? __STACK_BUNDLES__.verbs[verb]! : __STACK_BUNDLES__.all;
  // Before loading the bundle: the engine answers while this process loads and sets up the verb.
  const early = startEarlyReads({ argv, env: process.env, homeDir: process.env.HOME || '/root' });
  // A request written before its socket connects leaves only when the event loop sees the
  // connect; loading the bundle and the spec holds the loop for tens of ms. One turn of the loop
  // first (a local socket connects within it) lets the reads leave now.
  const sent = early === undefined ? Promise.resolve() : new Promise((resolve) => setImmediate(resolve));
  sent
    .then(() => loadBundle(join(__dirname, relative)).main(argv, early))
    .catch((error: unknown) => {
      // runCli never throws: this is a bug in the launcher or a bundle, shown as such.
      process.stderr.write(`stack: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 70;
    });
}

function loadBundle(file: string): CliBundle {
  if (argv.includes('--debug')) {
    // Stack traces then point into the TypeScript sources: Node maps them for modules it loads
    // itself, not for code compiled through node:vm. Source maps are read as modules load.
    process.setSourceMapsEnabled(true);
    return new BundleLoader({ sourceMaps: true, utf8: __STACK_BUNDLES__.utf8 }).load(file) as CliBundle;
  }
  const cacheDir = defaultCacheDirectories(process.env, homedir())?.code;
  const nodeOptions = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ');
  return new BundleLoader({ cacheDir, utf8: __STACK_BUNDLES__.utf8, nodeOptions }).load(file) as CliBundle;
}
