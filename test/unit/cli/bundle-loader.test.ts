import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUNDLE_HEAD, BundleLoader } from '../../../cli/bundle-loader.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stack-bundles-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function bundle(name: string, source: string): string {
  const file = join(dir, name);
  writeFileSync(file, source);
  return file;
}

describe('BundleLoader: CommonJS bundles with a code cache', () => {
  it('runs a bundle as a CommonJS module, its sibling bundles through the loader and built-ins through Node', () => {
    bundle('vendor-A.cjs', 'module.exports = { loads: (globalThis.__vendorLoads = (globalThis.__vendorLoads ?? 0) + 1) };');
    const main = bundle(
      'main-B.cjs',
      'const path = require("node:path"); exports.join = path.join("a", "b"); exports.vendor = () => require("./vendor-A.cjs"); exports.file = __filename;',
    );
    const loader = new BundleLoader({});
    const exports = loader.load(main) as { join: string; vendor: () => { loads: number }; file: string };
    expect(exports.join).toBe(join('a', 'b'));
    expect(exports.file).toBe(main);
    // Required twice, run once.
    expect(exports.vendor().loads).toBe(exports.vendor().loads);
    expect(loader.load(main)).toBe(exports);
  });

  it('writes the code of a bundle the first time, and a later loader uses it', () => {
    const cacheDir = join(dir, 'cache');
    const main = bundle('main-C.cjs', 'exports.answer = [1, 2, 3].map((n) => n * 14)[2];');
    const first = new BundleLoader({ cacheDir });
    expect((first.load(main) as { answer: number }).answer).toBe(42);
    first.saveCaches();
    const cached = readdirSync(cacheDir);
    expect(cached).toEqual([`main-C.cjs.${process.version}-${process.arch}.v8`]);
    const second = new BundleLoader({ cacheDir });
    expect((second.load(main) as { answer: number }).answer).toBe(42);
    // Nothing new to write: the cache was accepted.
    second.saveCaches();
    expect(readdirSync(cacheDir)).toEqual(cached);
  });

  it('a cache V8 rejects (other data under the same name) is replaced, and the bundle still runs from source', () => {
    const cacheDir = join(dir, 'cache');
    const main = bundle('main-D.cjs', 'exports.value = "from source";');
    const cacheFile = join(cacheDir, `main-D.cjs.${process.version}-${process.arch}.v8`);
    mkdirSync(cacheDir);
    writeFileSync(cacheFile, 'not V8 code at all');
    const loader = new BundleLoader({ cacheDir });
    expect((loader.load(main) as { value: string }).value).toBe('from source');
    loader.saveCaches();
    expect(readFileSync(cacheFile).length).toBeGreaterThan(100);
  });

  it('keeps the code made under other Node options apart, so that neither replaces the other', () => {
    const cacheDir = join(dir, 'cache');
    const main = bundle('main-F.cjs', 'exports.value = 6 * 7;');
    for (const nodeOptions of ['', '--max-semi-space-size=8', '--inspect', '  ']) {
      const loader = new BundleLoader({ cacheDir, nodeOptions });
      expect((loader.load(main) as { value: number }).value).toBe(42);
      loader.saveCaches();
    }
    const made = readdirSync(cacheDir).sort();
    // Blank options are no options: three files, the plain one named as before.
    expect(made).toHaveLength(3);
    expect(made).toContain(`main-F.cjs.${process.version}-${process.arch}.v8`);
    const times = made.map((file) => statSync(join(cacheDir, file)).mtimeMs);
    // A second round under each set of options finds its own code and writes nothing.
    for (const nodeOptions of ['', '--max-semi-space-size=8', '--inspect']) {
      const loader = new BundleLoader({ cacheDir, nodeOptions });
      loader.load(main);
      loader.saveCaches();
    }
    expect(made.map((file) => statSync(join(cacheDir, file)).mtimeMs)).toEqual(times);
  });

  it('compiles a bundle stored already wrapped as it is, with its code cache', () => {
    const cacheDir = join(dir, 'cache');
    const main = bundle('main-G.cjs', `${BUNDLE_HEAD}\nexports.file = __filename; module.exports.sum = [1, 2].reduce((a, b) => a + b);\n});`);
    const first = new BundleLoader({ cacheDir });
    expect(first.load(main)).toEqual({ file: main, sum: 3 });
    first.saveCaches();
    const second = new BundleLoader({ cacheDir });
    expect(second.load(main)).toEqual({ file: main, sum: 3 });
    second.saveCaches();
    expect(readdirSync(cacheDir)).toHaveLength(1);
  });

  it('with source maps, compiles through Node\'s loader (no code cache), wrapped bundles and plain ones alike', () => {
    const cacheDir = join(dir, 'cache');
    bundle('vendor-H.cjs', 'module.exports = { plain: true };');
    const main = bundle('main-H.cjs', `${BUNDLE_HEAD}\nexports.vendor = require("./vendor-H.cjs"); exports.line = new Error().stack.split("\\n")[1];\n});`);
    const loader = new BundleLoader({ cacheDir, sourceMaps: true });
    const exports = loader.load(main) as { vendor: { plain: boolean }; line: string };
    expect(exports.vendor).toEqual({ plain: true });
    // Line 2 of the file: the wrapper keeps its own line.
    expect(exports.line).toContain(`${main}:2:`);
    loader.saveCaches();
    expect(() => readdirSync(cacheDir)).toThrow();
  });

  it('reads the bundles named as not ASCII as UTF-8', () => {
    const main = bundle('main-E.cjs', 'exports.unit = "µs";');
    expect((new BundleLoader({ utf8: ['main-E.cjs'] }).load(main) as { unit: string }).unit).toBe('µs');
  });
});
