import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpecFromText } from '../../../core/load/index.js';
import { expectSpecError, loadIn, loadYaml, services, tempProject } from './helpers.js';

describe('loadSpec end to end', () => {
  it('returns the merged data, files read, environment and project facts', async () => {
    const dir = tempProject({
      'compose.yaml': 'services:\n  web:\n    image: ${IMG}\n',
      'compose.override.yaml': 'services:\n  web:\n    ports: ["80:80"]\n',
      '.env': 'IMG=nginx\n',
    });
    const spec = await loadIn(dir, { environment: { HOME: '/root', UNSET_IN_SHELL: undefined } });
    expect(spec).toMatchObject({
      projectName: path.basename(dir).toLowerCase().replace(/[^a-z0-9_-]/g, ''),
      workingDir: dir,
      configFiles: [path.join(dir, 'compose.yaml'), path.join(dir, 'compose.override.yaml')],
      data: { services: { web: { image: 'nginx', ports: ['80:80'] } } },
      environment: { IMG: 'nginx', HOME: '/root' },
      warnings: [],
    });
    expect(spec.environment).not.toHaveProperty('UNSET_IN_SHELL');
    expect(spec.sourceFiles).toEqual(expect.arrayContaining([path.join(dir, 'compose.yaml'), path.join(dir, 'compose.override.yaml'), path.join(dir, '.env')]));
  });

  it('loads text through loadSpecFromText, positions naming <stdin>', async () => {
    const cwd = tempProject();
    const spec = await loadSpecFromText('services:\n  web:\n    image: $X\n', { cwd, projectName: 'p' });
    expect(spec.warnings).toEqual(['<stdin>:3:12: services.web.image: variable X is not set, using an empty string']);
    await expectSpecError(loadSpecFromText('services:\n  web: [\n', { cwd, projectName: 'p' }), { code: 'YAML_SYNTAX', file: '<stdin>' });
  });

  it('reports each distinct warning once', async () => {
    const spec = await loadYaml('services:\n  web:\n    image: ${A}${A}\n');
    expect(spec.warnings).toHaveLength(1);
  });

  it('reports a missing --env-file', async () => {
    await expectSpecError(loadYaml('services: {}\n', { envFiles: ['missing.env'] }), { code: 'SPEC_NOT_FOUND', message: /env file not found: missing\.env/ });
  });

  it('reports a broken .env line with its position', async () => {
    await expectSpecError(loadYaml('services: {}\n', { extra: { '.env': 'OK=1\nNOT OK\n' } }), { code: 'SPEC_INVALID', file: '.env', line: 2, col: 5 });
  });

  it('errors from a second file point at that file', async () => {
    await expectSpecError(loadYaml('services: {}\n', { files: ['compose.yaml', 'sub/bad.yaml'], extra: { 'sub/bad.yaml': 'services:\n  web:\n    image: a\n    image: b\n' } }), {
      code: 'YAML_SYNTAX',
      file: path.join('sub', 'bad.yaml'),
      line: 4,
      col: 5,
    });
  });

  it('keeps services of a v1 file and a current override file together', async () => {
    const spec = await loadYaml('web:\n  image: a\n', { files: ['compose.yaml', 'o.yaml'], extra: { 'o.yaml': 'services:\n  web:\n    ports: ["80:80"]\n' } });
    expect(services(spec).web).toEqual({ image: 'a', ports: ['80:80'] });
  });
});
