import { LineCounter, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SourceMap } from '../../../core/load/source-map.js';
import { sourceMapOfDocument } from '../../../core/load/source-map-yaml.js';

function mapOf(text: string, file = 'f.yaml'): SourceMap {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { merge: true, lineCounter });
  return sourceMapOfDocument(doc, file, lineCounter, text);
}

describe('SourceMap subtree operations used by the loader', () => {
  it('records `<<` merged keys at the anchor (yaml gives the merge key as a Symbol)', () => {
    const map = mapOf('x: &x\n  a: 1\ny:\n  <<: *x\n  b: 2\n');
    expect(map.entry(['y', '<<'])).toBeUndefined();
    expect(map.locate(['y', 'a'])).toMatchObject({ line: 2, col: 6 });
  });

  it('remove() drops a subtree, optionally keeping its root', () => {
    const map = mapOf('a:\n  b:\n    c: 1\n  d: 2\n');
    const copy = map.clone();
    copy.remove(['a', 'b']);
    expect(copy.entry(['a', 'b'])).toBeUndefined();
    expect(copy.entry(['a', 'b', 'c'])).toBeUndefined();
    expect(copy.entry(['a', 'd'])).toBeDefined();
    expect(map.entry(['a', 'b', 'c'])).toBeDefined();
    const kept = map.clone();
    kept.remove(['a'], { keepSelf: true });
    expect(kept.entry(['a'])).toBeDefined();
    expect(kept.entry(['a', 'd'])).toBeUndefined();
  });

  it('copy() moves a subtree to another path, overwriting, and brings the file text', () => {
    const from = mapOf('s:\n  web:\n    image: a\n', 'one.yaml');
    const to = mapOf('services:\n  web:\n    image: b\n', 'two.yaml');
    to.copy(from, ['s', 'web'], ['services', 'web']);
    expect(to.locate(['services', 'web', 'image'])).toMatchObject({ file: 'one.yaml', line: 3 });
    expect(to.text('one.yaml')).toContain('image: a');
    const root = new SourceMap();
    root.copy(from, [], []);
    expect(root.locate(['s', 'web', 'image'])).toMatchObject({ file: 'one.yaml' });
  });
});
