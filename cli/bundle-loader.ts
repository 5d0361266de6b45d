// Loads the CLI's CommonJS bundles (dist/cli/*.cjs, made by scripts/build.mjs) with V8's code
// cache. Compiling is most of what loading costs (about 10 ms per 500 kB of bundle on a small
// machine, and functions compiled later as they first run); with the code V8 made on an earlier
// run it is a copy. Node 20 has no code cache for ES modules, hence CommonJS bundles compiled
// here with node:vm, which is what Node's own loader does with a module's text.
//
// A cache file is named after the bundle, whose name carries a hash of its content, the Node
// version and, when Node was started with options, a fingerprint of them: V8 rejects data made by
// another V8 or with other flags, and a run that rejects the cache writes its own, so two ways of
// starting Node under one name would each throw the other's away (a compile, about 20 ms for `up`,
// on every run that alternates, `NODE_OPTIONS=--inspect` say).
// Made after the command ran (at exit), it holds every function the run compiled: a verb's bundle
// serves only that verb, so the next run of the verb finds its whole path compiled.
//
// The build stores each bundle already wrapped in the module function (BUNDLE_HEAD), so that its
// text is compiled as read: a text wrapped here is a second string V8 flattens into a copy of the
// whole bundle before compiling (scripts/build.mjs wrapForLoader). A plain CommonJS text is
// wrapped as Node would, for bundles made otherwise (tests).
import { channel } from 'node:diagnostics_channel';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { basename, dirname, resolve } from 'node:path';
import { Script } from 'node:vm';
import { CODE_CACHE_PRUNING, maybePrune } from '../core/cache-pruning.js';
import { fingerprint } from '../core/digests.js';

export interface BundleLoaderOptions {
  /** Folder of cached code; undefined compiles from source every time. */
  cacheDir?: string;
  /** Names of bundles whose text is not pure ASCII: read as UTF-8 (the rest as Latin-1, which costs nothing). */
  utf8?: readonly string[];
  /** How Node was started (its execArgv and NODE_OPTIONS); caches made under other options are kept apart. */
  nodeOptions?: string;
  /**
   * Compile through Node's module loader instead, without a code cache, so that stack traces are
   * mapped to the sources (`--debug`, after process.setSourceMapsEnabled(true)): Node maps the
   * code it compiles itself, not code compiled through node:vm.
   */
  sourceMaps?: boolean;
}

/** The first line of every bundle the build makes (scripts/build.mjs wrapForLoader). */
export const BUNDLE_HEAD = '(function (exports, require, module, __filename, __dirname) {';

type ModuleFunction = (exports: unknown, require: NodeJS.Require, module: LoadedBundle, filename: string, dirname: string) => void;

interface LoadedBundle {
  exports: unknown;
}

/** Published with each bundle file a run loads, for tests that check what a fast path loads. */
export const LOAD_CHANNEL = 'stack:load-bundle';

export class BundleLoader {
  private readonly loaded = new Map<string, LoadedBundle>();
  private readonly unsaved: { script: Script; file: string }[] = [];
  private readonly published = channel(LOAD_CHANNEL);

  constructor(private readonly options: BundleLoaderOptions) {
    if (options.cacheDir !== undefined) process.once('exit', () => this.saveCaches());
  }

  /** The exports of the bundle at `file` (absolute); a bundle is run once per process. */
  load(file: string): unknown {
    const known = this.loaded.get(file);
    if (known) return known.exports;
    if (this.published.hasSubscribers) this.published.publish({ file });
    const name = basename(file);
    const text = readFileSync(file, this.options.utf8?.includes(name) ? 'utf8' : 'latin1');
    const source = text.startsWith(BUNDLE_HEAD) ? text : Module.wrap(text);
    const bundle: LoadedBundle = { exports: {} };
    this.loaded.set(file, bundle);
    const run = this.options.sourceMaps ? compileMapped(file, source) : this.compileCached(file, source);
    run.call(bundle.exports, bundle.exports, this.requireFrom(file), bundle, file, dirname(file));
    return bundle.exports;
  }

  private compileCached(file: string, source: string): ModuleFunction {
    const cacheFile = this.cacheFileOf(basename(file));
    const cachedData = cacheFile === undefined ? undefined : readOptional(cacheFile);
    const script = new Script(source, { filename: file, cachedData });
    if (cacheFile !== undefined && (cachedData === undefined || script.cachedDataRejected)) this.unsaved.push({ script, file: cacheFile });
    return script.runInThisContext() as ModuleFunction;
  }

  /** Writes the code of the bundles that had none cached; called at exit. */
  saveCaches(): void {
    const directory = this.options.cacheDir;
    if (directory === undefined || this.unsaved.length === 0) return;
    try {
      mkdirSync(directory, { recursive: true });
      for (const { script, file } of this.unsaved.splice(0)) {
        // Another run may write the same file: each writes its own, the rename is atomic.
        const temporary = `${file}.${process.pid}.tmp`;
        writeFileSync(temporary, script.createCachedData());
        renameSync(temporary, file);
      }
      maybePrune(directory, CODE_CACHE_PRUNING);
    } catch {
      // A read-only or full cache folder only costs the next run its compile time.
    }
  }

  private cacheFileOf(name: string): string | undefined {
    const directory = this.options.cacheDir;
    if (directory === undefined) return undefined;
    const options = this.options.nodeOptions?.trim() ? `-${fingerprint(this.options.nodeOptions.trim()).slice(0, 8)}` : '';
    return resolve(directory, `${name}.${process.version}-${process.arch}${options}.v8`);
  }

  /** A bundle's require(): its sibling bundles through this loader, anything else as Node does. */
  private requireFrom(file: string): NodeJS.Require {
    const native = createRequire(file);
    const directory = dirname(file);
    const load = (id: string): unknown => (id.startsWith('./') || id.startsWith('../') ? this.load(resolve(directory, id)) : native(id));
    return Object.assign(load, { resolve: native.resolve, cache: native.cache, main: native.main, extensions: native.extensions }) as NodeJS.Require;
  }
}

/**
 * The module function, compiled by Node's own loader (which registers the text's source map):
 * the text, a function expression, is handed over as the value of `module.exports`. It stays on
 * the wrapper's line, so the map's lines still match.
 */
function compileMapped(file: string, source: string): ModuleFunction {
  const holder = new Module(file) as Module & { _compile(content: string, filename: string): unknown };
  holder.filename = file;
  holder._compile(`module.exports = ${source}`, file);
  return holder.exports as ModuleFunction;
}

function readOptional(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}
