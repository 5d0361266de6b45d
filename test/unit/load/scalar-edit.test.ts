// core/load/scalar-edit.ts: a parse patched for a one-value edit must be exactly the parse of the
// edited text (data and every position), and anything it cannot be sure of must be left to the parser.
import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../../core/load/parse.js';
import type { CachedParse } from '../../../core/load/parse-cache.js';
import { applyScalarEdit, scalarValue, type PatchedParse } from '../../../core/load/scalar-edit.js';

/** A fresh parse of `text`, as the parse cache would be given it. */
function parsed(text: string, file = 'compose.yaml'): CachedParse {
  let stored: CachedParse | undefined;
  parseSpec(text, file, { get: () => undefined, set: (_text, _file, parse) => (stored = structuredClone(parse)) });
  return stored!;
}

function edit(previousText: string, text: string, files: { before?: string; after?: string } = {}): PatchedParse | undefined {
  const previousFile = files.before ?? 'compose.yaml';
  return applyScalarEdit({ previousText, previousFile, previous: parsed(previousText, previousFile), text, file: files.after ?? previousFile });
}

function expectSameAsParse(previousText: string, text: string, files: { before?: string; after?: string } = {}): void {
  const patched = edit(previousText, text, files);
  expect(patched, `not patched:\n${text}`).toBeDefined();
  const fresh = parsed(text, files.after ?? 'compose.yaml');
  expect(patched!.data).toEqual(fresh.data);
  expect(patched!.entries()).toEqual(fresh.entries);
}

const SPEC = [
  'services:',
  '  web:',
  '    image: registry.example/web:1.2',
  '    command: ["sh", "-c", "sleep 1"]',
  '    environment:',
  '      MODE: "one"',
  "      LEVEL: 'info'",
  '      COUNT: 3',
  '      URL: http://db:5432/app',
  '    ports:',
  '      - "127.0.0.1:8080:80"',
  '      - 9000',
  '    labels: { team: core, tier: front }',
  '    depends_on:',
  '      - db',
  '  db:',
  '    image: postgres',
  '    volumes:',
  '      - data:/var/lib/data',
  'volumes:',
  '  data: {}',
  '',
].join('\n');

const replaceLine = (text: string, from: string, to: string): string => {
  expect(text).toContain(from);
  return text.replace(from, to);
};

describe('applyScalarEdit: the same parse as the parser gives', () => {
  it.each([
    ['an image tag', '    image: registry.example/web:1.2', '    image: registry.example/web:1.3-rc.1'],
    ['a quoted environment value, longer', '      MODE: "one"', '      MODE: "two and ${MORE}"'],
    ['a single-quoted value, shorter', "      LEVEL: 'info'", "      LEVEL: ''"],
    ['an integer', '      COUNT: 3', '      COUNT: 12'],
    ['an integer into a string', '      COUNT: 3', '      COUNT: "3"'],
    ['a plain URL', '      URL: http://db:5432/app', '      URL: http://db:6543/other'],
    ['a quoted port in a list', '      - "127.0.0.1:8080:80"', '      - "127.0.0.1:8081:80"'],
    ['an unquoted port in a list', '      - 9000', '      - 9001'],
    ['a list item at the end of a service', '      - db', '      - dbx'],
    ['the last value of the file', '      - data:/var/lib/data', '      - data:/srv'],
  ])('%s', (_what, from, to) => {
    expectSameAsParse(SPEC, replaceLine(SPEC, from, to));
  });

  it('a value in a flow mapping', () => {
    const text = 'services:\n  web:\n    image: a\n    environment: {\n      A: "1"\n    }\n';
    expectSameAsParse(text, text.replace('A: "1"', 'A: "22"'));
  });

  it('for another file of the same folder, whose positions then name it', () => {
    expectSameAsParse(SPEC, replaceLine(SPEC, '      MODE: "one"', '      MODE: "two"'), { before: 'compose.yaml', after: 'compose.changed.yaml' });
  });

  it('leaves the previous parse as it was', () => {
    const previous = parsed(SPEC);
    const before = structuredClone(previous);
    const patched = applyScalarEdit({ previousText: SPEC, previousFile: 'compose.yaml', previous, text: SPEC.replace('"one"', '"two"'), file: 'compose.yaml' });
    patched!.entries();
    expect(previous).toEqual(before);
  });

  it('every simple value of a 200-service spec, one at a time', () => {
    const lines = ['services:'];
    for (let i = 0; i < 200; i++) lines.push(`  s${i}:`, '    image: busybox:latest', '    environment:', `      REV: "${i}"`, '    ports:', `      - "${8000 + i}:80"`);
    const big = `${lines.join('\n')}\n`;
    const base = parsed(big);
    for (const index of [4, 6, 598, 600, 1198]) {
      const changed = big.split('\n');
      changed[index] = changed[index]!.replace(/"([^"]*)"/, '"x$1"');
      const text = changed.join('\n');
      const patched = applyScalarEdit({ previousText: big, previousFile: 'compose.yaml', previous: base, text, file: 'compose.yaml' });
      const fresh = parsed(text);
      expect(patched!.data).toEqual(fresh.data);
      expect(patched!.entries()).toEqual(fresh.entries);
    }
  });
});

describe('applyScalarEdit: left to the parser', () => {
  it.each([
    ['a value that becomes a boolean', '      URL: http://db:5432/app', '      URL: true'],
    ['a value that becomes a float', '      COUNT: 3', '      COUNT: 1.5'],
    ['a value that becomes null', '      COUNT: 3', '      COUNT: ~'],
    ['an escape in a quoted string', '      MODE: "one"', '      MODE: "a\\tb"'],
    ['a value that becomes a mapping', '      MODE: "one"', '      MODE: {a: 1}'],
    ['a value that becomes an alias', '      MODE: "one"', '      MODE: *x'],
    ['a comment after the value', '      MODE: "one"', '      MODE: "one" # first'],
    ['a renamed key', '      MODE: "one"', '      MOOD: "one"'],
    ['an indentation change', '      MODE: "one"', '       MODE: "one"'],
    ['a plain scalar with a space', '    image: postgres', '    image: post gres'],
    ['a line added', '    image: postgres', '    image: postgres\n    init: true'],
  ])('%s', (_what, from, to) => {
    expect(edit(SPEC, replaceLine(SPEC, from, to))).toBeUndefined();
  });

  it('two lines changed', () => {
    const text = replaceLine(replaceLine(SPEC, '      MODE: "one"', '      MODE: "two"'), '    image: postgres', '    image: mysql');
    expect(edit(SPEC, text)).toBeUndefined();
  });

  it('a text with anchors, aliases or merge keys anywhere', () => {
    const anchored = 'x-base: &base\n  MODE: "one"\nservices:\n  web:\n    image: a\n    environment: *base\n';
    expect(edit(anchored, anchored.replace('MODE: "one"', 'MODE: "two"'))).toBeUndefined();
  });

  it('a line inside a block scalar, or the first line of a multi-line plain value', () => {
    const block = 'services:\n  web:\n    image: a\n    command: |\n      key: value\n';
    expect(edit(block, block.replace('key: value', 'key: other'))).toBeUndefined();
    const folded = 'services:\n  web:\n    image: a\n    entrypoint: one\n      two\n';
    expect(edit(folded, folded.replace('entrypoint: one', 'entrypoint: uno'))).toBeUndefined();
  });

  it('a text with Windows line ends', () => {
    const crlf = SPEC.replace(/\n/g, '\r\n');
    expect(edit(crlf, crlf.replace('"one"', '"two"'))).toBeUndefined();
  });
});

describe('scalarValue', () => {
  it('reads only forms whose meaning does not depend on where they sit', () => {
    expect(scalarValue('"a b"')).toEqual({ value: 'a b' });
    expect(scalarValue("'x'")).toEqual({ value: 'x' });
    expect(scalarValue('42')).toEqual({ value: 42 });
    expect(scalarValue('busybox:1.36')).toEqual({ value: 'busybox:1.36' });
    for (const unsure of ['true', 'Null', '0x1f', '0o7', '-1', '1e3', '.inf', '042', 'a,b', 'a b', '"a\\"', 'key:', '[1]', '@x', '%x'])
      expect(scalarValue(unsure), unsure).toBeUndefined();
  });
});
