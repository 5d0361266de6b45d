import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverFiles } from '../../../core/load/discover.js';
import { expectSpecError, FIXTURES, loadIn, services, tempProject } from './helpers.js';

describe('spec file discovery', () => {
  it('walks up from cwd to the nearest compose.yaml and uses its folder as project directory', async () => {
    const found = await discoverFiles({ files: [], cwd: path.join(FIXTURES, 'discover-parent/app/src'), environment: {} });
    expect(found.files).toEqual([path.join(FIXTURES, 'discover-parent/compose.yaml')]);
    expect(found.workingDir).toBe(path.join(FIXTURES, 'discover-parent'));
  });

  it('adds the first existing override file next to the spec', async () => {
    const dir = path.join(FIXTURES, 'discover-override');
    const spec = await loadIn(dir);
    expect(spec.configFiles).toEqual([path.join(dir, 'compose.yaml'), path.join(dir, 'compose.override.yml')]);
    expect(services(spec).web).toMatchObject({ image: 'nginx:1.27', ports: ['8080:80', '8443:443'] });
  });

  it('finds fig.yml as a last resort', async () => {
    const found = await discoverFiles({ files: [], cwd: path.join(FIXTURES, 'discover-fig'), environment: {} });
    expect(found.files).toEqual([path.join(FIXTURES, 'discover-fig/fig.yml')]);
  });

  it('prefers compose.yaml over docker-compose.yml and warns about the other', async () => {
    const spec = await loadIn(path.join(FIXTURES, 'discover-multiple'));
    expect(services(spec).web?.image).toBe('from-compose-yaml');
    expect(spec.warnings.join('\n')).toMatch(/several spec files.*compose\.yaml, docker-compose\.yml; using compose\.yaml/);
  });

  it('uses -f files in order, relative to cwd, and the first file\'s folder as project directory', async () => {
    const dir = tempProject({ 'a/one.yaml': 'services: {web: {image: one}}\n', 'b/two.yaml': 'services: {web: {image: two}}\n' });
    const spec = await loadIn(dir, { files: ['a/one.yaml', 'b/two.yaml'] });
    expect(spec.configFiles).toEqual([path.join(dir, 'a/one.yaml'), path.join(dir, 'b/two.yaml')]);
    expect(spec.workingDir).toBe(path.join(dir, 'a'));
    expect(spec.projectName).toBe('a');
    expect(services(spec).web?.image).toBe('two');
  });

  it('honours --project-directory', async () => {
    const dir = tempProject({ 'compose.yaml': 'services: {web: {image: x}}\n', 'elsewhere/.keep': '' });
    const spec = await loadIn(dir, { projectDirectory: 'elsewhere' });
    expect(spec.workingDir).toBe(path.join(dir, 'elsewhere'));
    expect(spec.projectName).toBe('elsewhere');
  });

  it('reads COMPOSE_FILE, split on ":" or on COMPOSE_PATH_SEPARATOR', async () => {
    const dir = tempProject({ 'x.yaml': 'services: {web: {image: x}}\n', 'y.yaml': 'services: {web: {image: y}}\n' });
    const colon = await loadIn(dir, { environment: { COMPOSE_FILE: 'x.yaml:y.yaml' } });
    expect(colon.configFiles).toEqual([path.join(dir, 'x.yaml'), path.join(dir, 'y.yaml')]);
    const custom = await loadIn(dir, { environment: { COMPOSE_FILE: 'y.yaml;x.yaml', COMPOSE_PATH_SEPARATOR: ';' } });
    expect(services(custom).web?.image).toBe('x');
  });

  it('reads COMPOSE_FILE from the .env file of the folder when the shell has none', async () => {
    const dir = tempProject({ '.env': 'COMPOSE_FILE=main.yaml\n', 'main.yaml': 'services: {web: {image: x}}\n' });
    const spec = await loadIn(dir);
    expect(spec.configFiles).toEqual([path.join(dir, 'main.yaml')]);
  });

  it('-f wins over COMPOSE_FILE', async () => {
    const dir = tempProject({ 'x.yaml': 'services: {web: {image: x}}\n', 'y.yaml': 'services: {web: {image: y}}\n' });
    const spec = await loadIn(dir, { files: ['y.yaml'], environment: { COMPOSE_FILE: 'x.yaml' } });
    expect(services(spec).web?.image).toBe('y');
  });

  it('reads `-f -` from stdin with cwd as project directory', async () => {
    const dir = tempProject();
    const spec = await loadIn(dir, { files: ['-'], readStdin: async () => 'services: {web: {image: stdin}}\n' });
    expect(spec.configFiles).toEqual(['-']);
    expect(spec.workingDir).toBe(dir);
    expect(services(spec).web?.image).toBe('stdin');
  });

  it('explains a missing spec: what was looked for and what to do', async () => {
    const dir = tempProject({ 'empty/.keep': '' });
    const error = await expectSpecError(loadIn(path.join(dir, 'empty')), { code: 'SPEC_NOT_FOUND', message: /no spec file found/ });
    expect(error.hint).toMatch(/compose\.yaml, compose\.yml, docker-compose\.yaml, docker-compose\.yml, fig\.yml, fig\.yaml/);
    expect(error.hint).toMatch(/run stack in your project folder or pass -f/);
  });

  it('names a missing -f file', async () => {
    const dir = tempProject();
    await expectSpecError(loadIn(dir, { files: ['nope.yaml'] }), { code: 'SPEC_NOT_FOUND', message: /spec file not found: nope\.yaml/ });
  });

  it('reports a directory given as spec file as unreadable', async () => {
    const dir = tempProject({ 'sub/.keep': '' });
    await expectSpecError(loadIn(dir, { files: ['sub'] }), { code: 'SPEC_UNREADABLE' });
  });

  it.skipIf(process.getuid?.() === 0)('reports an unreadable file (skipped as root: root reads everything)', async () => {
    const { chmodSync } = await import('node:fs');
    const dir = tempProject({ 'compose.yaml': 'services: {}\n' });
    chmodSync(path.join(dir, 'compose.yaml'), 0o000);
    await expectSpecError(loadIn(dir), { code: 'SPEC_UNREADABLE' });
  });
});
