import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isOverride, isReset } from '../../../core/load/markers.js';
import { parseSpec } from '../../../core/load/parse.js';
import { expectSpecError, FIXTURES, loadIn, loadYaml, services } from './helpers.js';

describe('YAML parsing', () => {
  it('resolves anchors, aliases and << merge keys (explicit keys win)', async () => {
    const spec = await loadIn(path.join(FIXTURES, 'anchors'));
    expect(services(spec).web).toEqual({ restart: 'always', environment: { TZ: 'UTC' }, image: 'nginx' });
    expect(services(spec).worker).toMatchObject({ restart: 'no', image: 'worker' });
    expect(spec.data['x-common']).toEqual({ restart: 'always', environment: { TZ: 'UTC' } });
  });

  it('positions keys brought in by << at the anchor, explicit keys at their own line', async () => {
    const spec = await loadIn(path.join(FIXTURES, 'anchors'));
    expect(spec.sources.locate(['services', 'web', 'restart'])).toMatchObject({ file: 'compose.yaml', line: 2 });
    expect(spec.sources.locate(['services', 'worker', 'restart'])).toMatchObject({ line: 12, col: 14 });
  });

  it('keeps x- extension fields as they are', async () => {
    const spec = await loadYaml('x-meta:\n  owner: team\nservices:\n  web:\n    image: a\n    x-note: [1, 2]\n');
    expect(spec.data['x-meta']).toEqual({ owner: 'team' });
    expect(services(spec).web?.['x-note']).toEqual([1, 2]);
  });

  it('reads yes/no/on/off as strings (YAML 1.2), numbers as numbers', () => {
    const { data } = parseSpec('a: yes\nb: off\nc: 12\nd: "12"\n', 'f.yaml');
    expect(data).toEqual({ a: 'yes', b: 'off', c: 12, d: '12' });
  });

  it('turns !reset and !override into markers', () => {
    const { data } = parseSpec('services:\n  web:\n    ports: !reset []\n    build: !override {context: .}\n', 'f.yaml');
    const web = (data.services as Record<string, Record<string, unknown>>).web!;
    expect(isReset(web.ports)).toBe(true);
    expect(isOverride(web.build)).toBe(true);
  });

  it('reports a duplicate key at the second occurrence, naming it', async () => {
    const error = await expectSpecError(loadYaml('services:\n  web:\n    image: a\n    image: b\n'), { code: 'YAML_SYNTAX', file: 'compose.yaml', line: 4, col: 5, message: /duplicate key image \(first defined on line 3\)/ });
    expect(error.problems[0]?.frame).toContain('> 4 |     image: b');
    expect(error.hint).toMatch(/only once/);
  });

  it('reports tabs used as indentation with a code frame and a hint', async () => {
    const error = await expectSpecError(loadYaml('services:\n  web:\n\timage: a\n'), { code: 'YAML_SYNTAX', file: 'compose.yaml', line: 3, col: 1, message: /tabs are not allowed/ });
    expect(error.problems[0]?.frame).toMatch(/> 3 \| →image: a/);
    expect(error.hint).toMatch(/spaces/);
  });

  it('reports malformed YAML (unclosed flow list, unclosed quote) at a position', async () => {
    await expectSpecError(loadYaml('services:\n  web:\n    ports: [80, 443\n'), { code: 'YAML_SYNTAX', file: 'compose.yaml', line: 4 });
    await expectSpecError(loadYaml('services:\n  web:\n    image: "nginx\n'), { code: 'YAML_SYNTAX', file: 'compose.yaml', line: 4, message: /quote/ });
  });

  it('reports several documents in one file clearly', async () => {
    await expectSpecError(loadYaml('services: {}\n---\nservices: {}\n'), { code: 'YAML_SYNTAX', line: 2, col: 1, message: /several YAML documents/ });
  });

  it('reports an empty file and a comment-only file as SPEC_EMPTY with a hint', async () => {
    const empty = await expectSpecError(loadYaml(''), { code: 'SPEC_EMPTY', file: 'compose.yaml', line: 1, col: 1 });
    expect(empty.hint).toMatch(/services:/);
    await expectSpecError(loadYaml('# nothing yet\n\n# really\n'), { code: 'SPEC_EMPTY' });
  });

  it('rejects a top level that is not a mapping', async () => {
    await expectSpecError(loadYaml('- web\n- db\n'), { code: 'SPEC_INVALID', line: 1, col: 1, message: /must be a mapping.*found a list/ });
    await expectSpecError(loadYaml('just text\n'), { code: 'SPEC_INVALID', message: /found a single value/ });
  });

  it('turns number and boolean keys into strings, as compose-go does', async () => {
    const spec = await loadYaml('services:\n  web:\n    image: a\n    labels:\n      1: one\n      true: yes\n');
    expect(services(spec).web?.labels).toEqual({ '1': 'one', true: 'yes' });
    expect(spec.sources.locate(['services', 'web', 'labels', '1'], 'key')).toMatchObject({ line: 5, col: 7 });
  });

  it('rejects null and collection keys, at the key', async () => {
    await expectSpecError(loadYaml('services:\n  ~: {image: a}\n'), { code: 'YAML_SYNTAX', line: 2, col: 3, message: /keys must be strings, found an empty \(null\) key/ });
    await expectSpecError(loadYaml('services:\n  ? [a, b]\n  : {image: a}\n'), { code: 'YAML_SYNTAX', line: 2, col: 5, message: /found a list or mapping/ });
  });

  it('stops alias bombs instead of hanging', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 8; i++) bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`);
    await expectSpecError(loadYaml(bomb.join('\n') + '\nservices: {}\n'), { code: 'YAML_SYNTAX' });
  });
});
