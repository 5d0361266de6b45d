// Build-time compilation of the Compose schema validator.
//
// Compiling the schema with ajv costs every CLI run hundreds of milliseconds (more than all the
// rest of `stack config` on a small spec). ajv can instead emit the validator as JavaScript
// ("standalone code"), so the bundle ships the compiled function:
//
// 1. record: core/validate/schema.ts is bundled with `ajv` swapped for a recorder, and its
//    compileComposeSchema() is run; the recorder keeps the Ajv options, formats and schema it
//    was given. So the options live in one place only (schema.ts), and this file never drifts.
// 2. generate: the real ajv compiles the recorded schema with those options plus
//    `code.source`, and standaloneCode() writes it out, wrapped as makeValidator(formats).
// 3. substitute: in the real bundle, `ajv` as imported by core/validate/schema.ts resolves to a
//    small module whose Ajv.compile() returns makeValidator(the formats it was given). Every
//    other importer of ajv is left alone. Running from the sources (tests) compiles as before.
//
// The generated code is cached under node_modules/.cache/stack-build by a hash of its inputs.
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const SCHEMA_MODULE = /[\\/]core[\\/]validate[\\/]schema\.ts$/;

const RECORDER = `
export const recorded = { formats: {} };
export class Ajv {
  constructor(options) { recorded.options = options; }
  addFormat(name, format) { recorded.formats[name] = format; return this; }
  compile(schema) { recorded.schema = schema; return () => true; }
}`;

const RUNTIME = `
import { makeValidator } from 'stack-precompiled:validator';
// Stands in for ajv in core/validate/schema.ts: the schema was compiled when stack was built
// (scripts/build/schema-validator.mjs); the custom formats are still the ones schema.ts adds.
export class Ajv {
  constructor(options = {}) {
    if (options.strict) throw new Error('the bundled schema validator is precompiled: strict compiles run from the sources');
    this.formats = {};
  }
  addFormat(name, format) { this.formats[name] = format; return this; }
  compile() { return makeValidator(this.formats); }
}`;

async function inputsHash(root) {
  const hash = createHash('sha256');
  const validateDir = join(root, 'core/validate');
  for (const file of (await readdir(validateDir)).sort()) hash.update(file).update(await readFile(join(validateDir, file)));
  hash.update(await readFile(join(root, 'schema/compose.schema.json')));
  hash.update(await readFile(join(root, 'node_modules/ajv/package.json')));
  return hash.digest('hex').slice(0, 16);
}

/** Steps 1 and 2: the standalone validator module source, from the cache when inputs are unchanged. */
export async function generateValidator(root) {
  const cacheDir = join(root, 'node_modules/.cache/stack-build');
  const cacheFile = join(cacheDir, `validator-${await inputsHash(root)}.mjs`);
  try {
    return await readFile(cacheFile, 'utf8');
  } catch {
    // not cached yet
  }
  await mkdir(cacheDir, { recursive: true });
  const recorderFile = join(cacheDir, 'record-schema.mjs');
  await build({
    absWorkingDir: root,
    stdin: {
      contents: "import { compileComposeSchema } from './core/validate/schema.ts'; export { recorded } from 'stack-recorder'; compileComposeSchema();",
      resolveDir: root,
      loader: 'js',
    },
    outfile: recorderFile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    logLevel: 'error',
    plugins: [virtualModules({ 'stack-recorder': RECORDER }, (path) => path === 'ajv' || path === 'stack-recorder')],
  });
  const { recorded } = await import(`${pathToFileURL(recorderFile).href}?${Date.now()}`);
  if (!recorded.schema) throw new Error('core/validate/schema.ts did not compile a schema when asked');

  const { Ajv, _ } = await import('ajv');
  const { default: standaloneCode } = await import('ajv/dist/standalone/index.js');
  const options = recorded.options ?? {};
  // ajv's code optimiser only simplifies the generated code (same errors): free at build time.
  const ajv = new Ajv({ ...options, code: { ...options.code, source: true, esm: true, optimize: true, formats: _`__stackFormats` } });
  for (const [name, format] of Object.entries(recorded.formats)) ajv.addFormat(name, format);
  const code = standaloneCode(ajv, ajv.compile(recorded.schema));

  const body = code
    .replace(/^"use strict";/, '')
    .replace('export const validate = validate0;', '')
    .replace('export default validate0;', '');
  if (/\bimport\b|\brequire\(|\bexport\b/.test(body.replace(/"(?:[^"\\]|\\.)*"/g, '""'))) {
    throw new Error('ajv standalone code needs runtime imports: teach scripts/build/schema-validator.mjs to hoist them');
  }
  const source = `export function makeValidator(__stackFormats) {\n${body}\nreturn validate0;\n}\n`;
  await writeFile(cacheFile, source).catch(() => {}); // a read-only cache only costs time
  return source;
}

/**
 * Step 3: the esbuild plugin for the real bundle. With `validatorFile` (a path as the bundle's
 * require() should name it) the validator stays out of the bundle, in that file of its own
 * (the CLI's verbs load it only when a spec is not in the validation cache); else it is bundled.
 */
export function precompiledSchemaPlugin(validatorSource, { validatorFile } = {}) {
  return {
    name: 'stack-precompiled-schema',
    setup(build) {
      build.onResolve({ filter: /^ajv$/ }, (args) =>
        SCHEMA_MODULE.test(args.importer) ? { path: 'ajv-runtime', namespace: 'stack-precompiled' } : undefined,
      );
      build.onResolve({ filter: /^stack-precompiled:validator$/ }, () =>
        validatorFile === undefined ? { path: 'validator', namespace: 'stack-precompiled' } : { path: validatorFile, external: true },
      );
      build.onLoad({ filter: /.*/, namespace: 'stack-precompiled' }, (args) => ({
        contents: args.path === 'validator' ? validatorSource : RUNTIME,
        loader: 'js',
        resolveDir: process.cwd(),
      }));
    },
  };
}

function virtualModules(modules, redirect) {
  return {
    name: 'stack-virtual',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => (redirect(args.path) ? { path: 'stack-recorder', namespace: 'stack-virtual' } : undefined));
      build.onLoad({ filter: /.*/, namespace: 'stack-virtual' }, (args) => ({ contents: modules[args.path], loader: 'js' }));
    },
  };
}
