#!/usr/bin/env node
// Bundles the CLI (cli/main.ts -> dist/stack.js) and the library (core/api.ts -> dist/api.js)
// in one esbuild pass with code splitting: what a verb imports lazily (core, yaml, ajv, listr2)
// lands in dist/chunks/ and is only read when that verb runs, so `stack --version` stays cheap.
// The schema is not copied: it ships as schema/ in the package and is read (or inlined) from there.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { chmod, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateValidator, precompiledSchemaPlugin } from './build/schema-validator.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));

// dockerode pulls in ssh2, whose optional native parts (cpu-features, sshcrypto.node) cannot be
// bundled: the engine client stays a runtime dependency, loaded only by verbs that use the engine.
const external = ['dockerode', 'ssh2', 'cpu-features'];

const REQUIRE_SHIM = "import { createRequire as __stackCreateRequire } from 'node:module'; const require = __stackCreateRequire(import.meta.url);";

/**
 * Removes the outputs of earlier builds. Done after writing, not before: chunk names carry a
 * content hash, so a CLI started from the old build (a test, a bench) meanwhile keeps working.
 */
async function removeStale(outputs) {
  const keep = new Set(outputs.map((file) => join(root, file)));
  const listing = async (dir) => (await readdir(dir).catch(() => [])).map((name) => join(dir, name));
  // dist/types (tsc declarations) is not ours to remove.
  const candidates = [...(await listing(dist)), ...(await listing(join(dist, 'chunks')))].filter((path) => /\.js(\.map)?$/.test(path));
  await Promise.all(candidates.filter((path) => !keep.has(path)).map((path) => rm(path, { force: true })));
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

const started = performance.now();
// An optimisation only: if it cannot be made, the bundle compiles the schema at run time.
const validatorSource = await generateValidator(root).catch((error) => {
  console.warn(`warning: schema validator not precompiled (${error.message}); the CLI will compile it on each run`);
  return undefined;
});
const result = await build({
  absWorkingDir: root,
  entryPoints: [
    { in: 'cli/main.ts', out: 'stack' },
    { in: 'core/api.ts', out: 'api' },
  ],
  outdir: dist,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  minifySyntax: true,
  minifyWhitespace: true,
  sourcemap: 'linked',
  legalComments: 'none',
  define: { __STACK_VERSION__: JSON.stringify(pkg.version), __STACK_VALIDATOR_ID__: JSON.stringify(await validatorId(validatorSource)) },
  // Bundled CommonJS packages (commander, ajv) call require() for Node built-ins; ESM has no
  // require, so every output file gets one.
  banner: { js: REQUIRE_SHIM },
  // The Compose schema validator is compiled here rather than on every run: see build/schema-validator.mjs.
  plugins: validatorSource === undefined ? [] : [precompiledSchemaPlugin(validatorSource)],
  metafile: true,
  logLevel: 'warning',
});

// The `#!/usr/bin/env node` line comes from cli/main.ts (esbuild keeps an entry's hashbang first).
await chmod(join(dist, 'stack.js'), 0o755);
await dropUnusedRequireShims(Object.keys(result.metafile.outputs).filter((file) => file.endsWith('.js')));
await removeStale(Object.keys(result.metafile.outputs));

const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js'));
const size = (file) => `${(result.metafile.outputs[file].bytes / 1024).toFixed(0)} kB`;
const chunks = outputs.filter(([file]) => file.includes('/chunks/')).length;
const ms = (performance.now() - started).toFixed(0);
console.log(`built dist/stack.js (${size('dist/stack.js')}), dist/api.js (${size('dist/api.js')}) and ${chunks} chunks in ${ms} ms`);
