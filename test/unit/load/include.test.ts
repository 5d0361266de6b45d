import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectSpecError, FIXTURES, loadIn, loadYaml, services } from './helpers.js';

describe('include', () => {
  it('adds the included sub-project: own .env, own folder for relative paths (made absolute)', async () => {
    const dir = path.join(FIXTURES, 'include-basic');
    const db = path.join(dir, 'db');
    const spec = await loadIn(dir);
    expect(Object.keys(services(spec)).sort()).toEqual(['db', 'web']);
    expect(services(spec).db).toEqual({
      image: 'postgres:16',
      build: path.join(db, 'image'),
      volumes: [`${path.join(db, 'init')}:/docker-entrypoint-initdb.d`, 'dbdata:/var/lib/postgresql/data'],
      env_file: path.join(db, 'db.env'),
    });
    expect(spec.data.volumes).toEqual({ dbdata: {} });
    expect(spec.data.secrets).toEqual({ dbpass: { file: path.join(db, 'pass.txt') } });
    expect(spec.data.include).toBeUndefined();
    expect(spec.sourceFiles).toEqual(expect.arrayContaining([path.join(db, 'compose.yaml'), path.join(db, '.env')]));
  });

  it('points positions of included definitions at the included file', async () => {
    const spec = await loadIn(path.join(FIXTURES, 'include-basic'));
    expect(spec.sources.locate(['services', 'db', 'image'])).toMatchObject({ file: 'db/compose.yaml', line: 3 });
  });

  it('the shell environment wins over the included .env', async () => {
    const spec = await loadIn(path.join(FIXTURES, 'include-basic'), { environment: { PG_VERSION: '17' } });
    expect(services(spec).db?.image).toBe('postgres:17');
  });

  it('supports the long form with project_directory and env_file', async () => {
    const spec = await loadYaml('include:\n  - path: ./lib/x.yaml\n    project_directory: ./proj\n    env_file: ./vars.env\nservices:\n  web: {image: a}\n', {
      extra: { 'lib/x.yaml': 'services:\n  x:\n    image: ${X_IMAGE}\n    build: .\n', 'vars.env': 'X_IMAGE=from-vars\n' },
    });
    expect(services(spec).x).toEqual({ image: 'from-vars', build: path.join(spec.workingDir, 'proj') });
  });

  it('lets services of the including file extend included ones', async () => {
    const spec = await loadYaml('include: [lib.yaml]\nservices:\n  web:\n    extends: base\n    image: mine\n', {
      extra: { 'lib.yaml': 'services:\n  base:\n    image: theirs\n    restart: always\n' },
    });
    expect(services(spec).web).toEqual({ image: 'mine', restart: 'always' });
  });

  it('reports a name defined in both files, naming both places', async () => {
    const error = await expectSpecError(loadIn(path.join(FIXTURES, 'include-conflict')), {
      code: 'INCLUDE',
      file: 'compose.yaml',
      line: 4,
      col: 3,
      message: /service "db" is defined both here and in the included file db\/compose\.yaml:2:3/,
    });
    expect(error.hint).toMatch(/rename/);
  });

  it('accepts the same definition reached twice (diamond includes)', async () => {
    const spec = await loadYaml('include: [a.yaml, b.yaml]\nservices:\n  web: {image: w}\n', {
      extra: { 'a.yaml': 'include: [common.yaml]\nservices:\n  a: {image: a}\n', 'b.yaml': 'include: [common.yaml]\nservices:\n  b: {image: b}\n', 'common.yaml': 'services:\n  db: {image: pg}\n' },
    });
    expect(Object.keys(services(spec)).sort()).toEqual(['a', 'b', 'db', 'web']);
  });

  it('detects include cycles', async () => {
    await expectSpecError(loadIn(path.join(FIXTURES, 'include-cycle')), { code: 'INCLUDE', file: 'other.yaml', line: 2, col: 5, message: /include cycle: compose\.yaml -> other\.yaml -> compose\.yaml/ });
  });

  it('reports a missing included file at its entry', async () => {
    await expectSpecError(loadYaml('services: {}\ninclude:\n  - nope.yaml\n'), { code: 'INCLUDE', line: 3, col: 5, message: /included file not found: .*nope\.yaml/ });
  });

  it('reports a malformed include', async () => {
    await expectSpecError(loadYaml('include: nope.yaml\nservices: {}\n'), { code: 'INCLUDE', line: 1, col: 10, message: /must be a list/ });
    await expectSpecError(loadYaml('include:\n  - project_directory: x\nservices: {}\n'), { code: 'INCLUDE', line: 2, message: /needs `path`/ });
  });
});
