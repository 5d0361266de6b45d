import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isValidProjectName, normalizeProjectName } from '../../../core/load/project-name.js';
import { expectSpecError, loadIn, loadYaml, tempProject } from './helpers.js';

describe('project name', () => {
  it.each([
    ['My_App', 'my_app'],
    ['my app.v2', 'myappv2'],
    ['__x-1', 'x-1'],
    ['-Foo', 'foo'],
    ['Ünïcode', 'ncode'],
  ])('normalises %s to %s', (input, output) => {
    expect(normalizeProjectName(input)).toBe(output);
  });

  it('validates explicit names', () => {
    expect(isValidProjectName('web-1_a')).toBe(true);
    expect(isValidProjectName('Web')).toBe(false);
    expect(isValidProjectName('_x')).toBe(false);
    expect(isValidProjectName('')).toBe(false);
  });

  it('follows -p > COMPOSE_PROJECT_NAME > name: > directory', async () => {
    const dir = tempProject({ 'My Project/compose.yaml': 'name: from-spec\nservices: {}\n', 'My Project/.env': 'COMPOSE_PROJECT_NAME=from-dotenv\n' });
    const cwd = path.join(dir, 'My Project');
    expect((await loadIn(cwd, { projectName: 'from-p', environment: { COMPOSE_PROJECT_NAME: 'from-env' } })).projectName).toBe('from-p');
    expect((await loadIn(cwd, { environment: { COMPOSE_PROJECT_NAME: 'from-env' } })).projectName).toBe('from-env');
    expect((await loadIn(cwd)).projectName).toBe('from-dotenv');
  });

  it('takes the last name: across files, after interpolation', async () => {
    const spec = await loadYaml('name: first\nservices: {}\n', {
      projectName: undefined,
      files: ['compose.yaml', 'two.yaml'],
      extra: { 'two.yaml': 'name: ${PREFIX}-second\n' },
      environment: { PREFIX: 'p' },
    });
    expect(spec.projectName).toBe('p-second');
    expect(spec.data.name).toBe('p-second');
  });

  it('falls back to the normalised directory name', async () => {
    const dir = tempProject({ 'Some.Dir_X/compose.yaml': 'services: {}\n' });
    expect((await loadIn(path.join(dir, 'Some.Dir_X'))).projectName).toBe('somedir_x');
  });

  it('rejects an invalid -p with the normalised suggestion', async () => {
    const error = await expectSpecError(loadYaml('services: {}\n', { projectName: 'My App' }), { code: 'PROJECT_NAME', message: /invalid project name "My App" \(from -p\)/ });
    expect(error.hint).toMatch(/use "myapp"/);
  });

  it('rejects an invalid COMPOSE_PROJECT_NAME', async () => {
    await expectSpecError(loadYaml('services: {}\n', { projectName: undefined, environment: { COMPOSE_PROJECT_NAME: '_bad' } }), { code: 'PROJECT_NAME', message: /COMPOSE_PROJECT_NAME/ });
  });

  it('rejects an invalid name: at its position', async () => {
    const error = await expectSpecError(loadYaml('services: {}\nname: Shop.Front\n', { projectName: undefined }), { code: 'PROJECT_NAME', file: 'compose.yaml', line: 2, col: 7 });
    expect(error.hint).toMatch(/use "shopfront"/);
  });

  it('errors when no usable name can be derived', async () => {
    const dir = tempProject({ '___/compose.yaml': 'services: {}\n' });
    await expectSpecError(loadIn(path.join(dir, '___')), { code: 'PROJECT_NAME', message: /cannot derive/ });
  });
});
