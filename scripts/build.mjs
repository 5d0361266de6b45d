#!/usr/bin/env node
// Builds the two things the package ships (the schema is not copied: it ships as schema/):
//
// - The library, core/api.ts -> dist/api.js: ES modules split into dist/chunks/, so that a program
//   importing one operation loads only what that operation uses.
// - The CLI, as CommonJS that cli/bundle-loader.ts compiles with V8's code cache (Node 20 has none
//   for ES modules, and compiling is most of a short command's start-up):
//     dist/stack.cjs                   the launcher (cli/main.ts): finds the verb, loads its bundle;
//     dist/cli/<verb>-<hash>.cjs       one bundle per file of cli/commands/, holding only that verb;
//     dist/cli/all-verbs-<hash>.cjs    every verb, for help and unknown words;
//     dist/cli/vendor/<name>-<hash>.cjs  the packages a verb needs on some runs only (VENDOR), and
//                                      the precompiled schema validator, required when first used.
//   Names carry a hash of the content: the code cache is keyed by them.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { chmod, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateValidator, precompiledSchemaPlugin } from './build/schema-validator.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));

// dockerode pulls in ssh2, whose optional native parts (cpu-features, sshcrypto.node) cannot be
// bundled: the engine client stays a runtime dependency, loaded only for ssh:// engines.
const external = ['dockerode', 'ssh2', 'cpu-features'];

/** Packages the CLI keeps in files of their own: big, and needed by some runs of a verb only. */
const VENDOR = ['yaml', 'listr2', 'tar-fs', '@balena/dockerignore', 'chokidar'];

const REQUIRE_SHIM = "import { createRequire as __stackCreateRequire } from 'node:module'; const require = __stackCreateRequire(import.meta.url);";

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  external,
  minifySyntax: true,
  minifyWhitespace: true,
  sourcemap: 'linked',
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
};

/**
 * The CLI's CommonJS: compiled with node:vm (cli/bundle-loader.ts), where a real import() would
 * need an experimental loader hook; esbuild turns import() of built-ins and dockerode into require().
 */
const commonjs = { format: 'cjs', outExtension: { '.js': '.cjs' }, supported: { 'dynamic-import': false } };

/**
 * commander requires node:child_process when it loads, for subcommands that are separate
 * executables, which stack has none of; with net, dgram and streams under it that is a few ms of
 * every run. Its require gets a stand-in that loads the module on first use.
 */
const lazyChildProcessForCommander = {
  name: 'stack-lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) => (/node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'stack-lazy-builtin' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'stack-lazy-builtin' }, () => ({
      contents: "let loaded; module.exports = new Proxy({}, { get: (_, key) => (loaded ??= require('node:child_process'))[key] });",
      loader: 'js',
    }));
  },
};

/**
 * Removes the outputs of earlier builds. Done after writing, not before: names carry a content
 * hash, so a CLI started from the old build (a test, a bench) meanwhile keeps working.
 */
async function removeStale(outputs) {
  const keep = new Set(outputs.map((file) => join(root, file)));
  const listing = async (dir) => (await readdir(dir).catch(() => [])).map((name) => join(dir, name));
  const folders = [dist, join(dist, 'chunks'), join(dist, 'cli'), join(dist, 'cli', 'vendor')];
  // dist/types (tsc declarations) is not ours to remove.
  const candidates = (await Promise.all(folders.map(listing))).flat().filter((path) => /\.c?js(\.map)?$/.test(path));
  await Promise.all(candidates.filter((path) => !keep.has(path)).map((path) => rm(path, { force: true })));
}

/**
 * The CLI's bundles are stored already wrapped in the function cli/bundle-loader.ts compiles
 * (its BUNDLE_HEAD, on a line of its own): wrapping at run time made V8 copy the whole text into
 * one flat string before compiling it, ~4 ms and 170 page faults for `up`'s bundle on every run.
 * The source map gets an empty first line to match.
 */
const BUNDLE_HEAD = '(function (exports, require, module, __filename, __dirname) {';
async function wrapForLoader(file) {
  const path = join(root, file);
  const code = await readFile(path, 'utf8');
  await writeFile(path, `${BUNDLE_HEAD}\n${code}\n});`);
  const map = JSON.parse(await readFile(`${path}.map`, 'utf8'));
  map.mappings = `;${map.mappings}`;
  await writeFile(`${path}.map`, JSON.stringify(map));
}

// Only files that call require() need the shim of the banner; elsewhere it is an import of
// node:module for nothing. It becomes an empty line, so that source maps stay aligned.
async function dropUnusedRequireShims(files) {
  await Promise.all(
    files.map(async (file) => {
      const path = join(root, file);
      const code = await readFile(path, 'utf8');
      if (/\brequire\b/.test(code.replace(REQUIRE_SHIM, ''))) return;
      await writeFile(path, code.replace(REQUIRE_SHIM, ''));
    }),
  );
}

/**
 * What a spec's validity depends on besides the spec: the schema, the validation code and the
 * compiled validator. Specs accepted by one build are not taken as valid by another
 * (core/validate/validation-cache.ts).
 */
async function validatorId(compiled) {
  const hash = createHash('sha256').update(pkg.version).update(compiled ?? 'runtime-compiled');
  const validateDir = join(root, 'core/validate');
  const files = [join(root, 'schema/compose.schema.json'), ...(await readdir(validateDir)).sort().map((name) => join(validateDir, name))];
  for (const file of files) hash.update(file.slice(root.length)).update(await readFile(file));
  return hash.digest('hex').slice(0, 32);
}

/**
 * What a resolved project depends on besides its inputs: every file of core/ (the loader, the
 * model, the hashes, and what they import) and the validator. Projects resolved by one build are
 * not reused by another (core/project-cache.ts); being broad costs one load after a rebuild.
 */
async function modelId(validator) {
  const hash = createHash('sha256').update(validator);
  const files = (await readdir(join(root, 'core'), { recursive: true })).filter((name) => name.endsWith('.ts')).sort();
  for (const name of files) hash.update(name).update(await readFile(join(root, 'core', name)));
  return hash.digest('hex').slice(0, 32);
}

const jsOutputs = (result) => Object.keys(result.metafile.outputs).filter((file) => /\.c?js$/.test(file));

/** Output files (relative to dist/) by entry name, from an esbuild metafile. */
function outputsByEntry(result, entryName) {
  const byEntry = {};
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    if (!output.entryPoint || !/\.c?js$/.test(file)) continue;
    byEntry[entryName(output.entryPoint)] = file.slice('dist/'.length);
  }
  return byEntry;
}

/** The outputs that are not pure ASCII: the loader reads those as UTF-8, the rest as Latin-1. */
async function nonAscii(files) {
  const flagged = await Promise.all(files.map(async (file) => ((await readFile(join(root, file))).some((byte) => byte > 0x7f) ? basename(file) : undefined)));
  return flagged.filter(Boolean);
}

const started = performance.now();
// An optimisation only: if it cannot be made, the bundles compile the schema at run time.
const validatorSource = await generateValidator(root).catch((error) => {
  console.warn(`warning: schema validator not precompiled (${error.message}); the CLI will compile it on each run`);
  return undefined;
});
const validator = await validatorId(validatorSource);
const define = {
  __STACK_VERSION__: JSON.stringify(pkg.version),
  __STACK_VALIDATOR_ID__: JSON.stringify(validator),
  __STACK_MODEL_ID__: JSON.stringify(await modelId(validator)),
};

// The library: ES modules with code splitting.
const library = build({
  ...common,
  entryPoints: [{ in: 'core/api.ts', out: 'api' }],
  outdir: dist,
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  format: 'esm',
  define,
  // Bundled CommonJS packages (ajv) call require() for Node built-ins; ESM has no require.
  banner: { js: REQUIRE_SHIM },
  plugins: validatorSource === undefined ? [] : [precompiledSchemaPlugin(validatorSource)],
});

// The CLI's vendor files first: the verb bundles name them.
const VALIDATOR_ENTRY = 'stack-validator';
const vendor = await build({
  ...common,
  entryPoints: [...VENDOR.map((name) => ({ in: name, out: name.replace(/^@[^/]+\//, '') })), ...(validatorSource === undefined ? [] : [{ in: VALIDATOR_ENTRY, out: 'validator' }])],
  outdir: join(dist, 'cli', 'vendor'),
  // Maps serve --debug stack traces, which need the mappings only: the sources are in the repository.
  sourcesContent: false,
  entryNames: '[name]-[hash]',
  ...commonjs,
  plugins: [
    {
      name: 'stack-validator-entry',
      setup(b) {
        b.onResolve({ filter: new RegExp(`^${VALIDATOR_ENTRY}$`) }, () => ({ path: VALIDATOR_ENTRY, namespace: 'stack-validator' }));
        b.onLoad({ filter: /.*/, namespace: 'stack-validator' }, () => ({ contents: validatorSource, loader: 'js', resolveDir: root }));
      },
    },
  ],
});
// esbuild names an entry that is a package by its resolved file: map back to the package names.
const vendorOf = Object.fromEntries(
  Object.entries(vendor.metafile.outputs)
    .filter(([file, output]) => output.entryPoint && file.endsWith('.cjs'))
    .map(([file, output]) => [output.entryPoint.startsWith('stack-validator:') ? VALIDATOR_ENTRY : packageOf(output.entryPoint), `./vendor/${basename(file)}`]),
);

function packageOf(path) {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  if (!match) throw new Error(`build: cannot tell which package ${path} is`);
  return match[1];
}

const verbNames = (await readdir(join(root, 'cli/commands'))).filter((name) => name.endsWith('.ts')).map((name) => name.slice(0, -3)).sort();
const verbEntry = (verb) =>
  `import * as verb from './cli/commands/${verb}.ts'; import { runProcess } from './cli/run-process.ts'; export const main = (argv, early) => runProcess(argv, async () => [verb], early);`;
const verbs = await build({
  ...common,
  entryPoints: [...verbNames.map((verb) => ({ in: `stack-verb:${verb}`, out: verb })), { in: 'cli/bundles/all-verbs.ts', out: 'all-verbs' }],
  outdir: join(dist, 'cli'),
  sourcesContent: false,
  entryNames: '[name]-[hash]',
  ...commonjs,
  define,
  plugins: [
    lazyChildProcessForCommander,
    {
      name: 'stack-verb-entries',
      setup(b) {
        b.onResolve({ filter: /^stack-verb:/ }, (args) => ({ path: args.path.slice('stack-verb:'.length), namespace: 'stack-verb' }));
        b.onLoad({ filter: /.*/, namespace: 'stack-verb' }, (args) => ({ contents: verbEntry(args.path), loader: 'js', resolveDir: root }));
      },
    },
    {
      name: 'stack-vendor-files',
      setup(b) {
        b.onResolve({ filter: new RegExp(`^(${VENDOR.map((name) => name.replace('/', '\\/')).join('|')})$`) }, (args) => ({ path: vendorOf[args.path], external: true }));
      },
    },
    ...(validatorSource === undefined ? [] : [precompiledSchemaPlugin(validatorSource, { validatorFile: vendorOf[VALIDATOR_ENTRY] })]),
  ],
});
const bundles = outputsByEntry(verbs, (entry) => entry.replace(/^stack-verb:/, '').replace('cli/bundles/all-verbs.ts', '*'));
const cliFiles = [...jsOutputs(vendor), ...jsOutputs(verbs)];
await Promise.all(cliFiles.map(wrapForLoader));
const manifest = { verbs: Object.fromEntries(verbNames.map((verb) => [verb, bundles[verb]])), all: bundles['*'], utf8: await nonAscii(cliFiles) };

const launcher = await build({
  ...common,
  entryPoints: [{ in: 'cli/main.ts', out: 'stack' }],
  outdir: dist,
  ...commonjs,
  define: { ...define, __STACK_BUNDLES__: JSON.stringify(manifest) },
});

const libraryResult = await library;
// The `#!/usr/bin/env node` line comes from cli/main.ts (esbuild keeps an entry's hashbang first).
await chmod(join(dist, 'stack.cjs'), 0o755);
await dropUnusedRequireShims(jsOutputs(libraryResult));
await removeStale([libraryResult, vendor, verbs, launcher].flatMap((result) => Object.keys(result.metafile.outputs)));

const kB = (result, file) => `${(result.metafile.outputs[file].bytes / 1024).toFixed(0)} kB`;
const ms = (performance.now() - started).toFixed(0);
console.log(
  `built dist/stack.cjs (${kB(launcher, 'dist/stack.cjs')}), ${verbNames.length} verb bundles, ${Object.keys(vendorOf).length} vendor files ` +
    `and dist/api.js (${kB(libraryResult, 'dist/api.js')}) with ${jsOutputs(libraryResult).length - 1} chunks in ${ms} ms` +
    (manifest.utf8.length > 0 ? `; not ASCII, read as UTF-8: ${manifest.utf8.join(', ')}` : ''),
);
