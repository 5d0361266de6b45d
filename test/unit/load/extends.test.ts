import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectSpecError, FIXTURES, loadIn, loadYaml, services } from './helpers.js';

describe('extends', () => {
  it('extends a service of the same file; local keys win and merge by the merge rules', async () => {
    const spec = await loadYaml(
      'services:\n  base:\n    image: a\n    command: [a, b]\n    environment: {A: "1", B: "2"}\n    ports: ["80:80"]\n  web:\n    extends: base\n    command: [c]\n    environment: {B: "3"}\n    ports: ["443:443"]\n',
    );
    expect(services(spec).web).toEqual({ image: 'a', command: ['c'], environment: { A: '1', B: '3' }, ports: ['80:80', '443:443'] });
    expect(services(spec).base).toMatchObject({ image: 'a' });
  });

  it('accepts the long form without file and follows chains', async () => {
    const spec = await loadYaml('services:\n  a:\n    image: x\n    restart: always\n  b:\n    extends: {service: a}\n    user: me\n  c:\n    extends: b\n    image: y\n');
    expect(services(spec).c).toEqual({ image: 'y', restart: 'always', user: 'me' });
  });

  it('applies !reset and !override against the base', async () => {
    const spec = await loadYaml('services:\n  base:\n    image: x\n    ports: ["80:80"]\n    environment: {A: "1"}\n  web:\n    extends: base\n    ports: !reset []\n    environment: !override {B: "2"}\n');
    expect(services(spec).web).toEqual({ image: 'x', environment: { B: '2' } });
  });

  it('accepts an empty base service', async () => {
    const spec = await loadYaml('services:\n  base:\n  web:\n    extends: base\n    image: a\n');
    expect(services(spec).web).toEqual({ image: 'a' });
  });

  it('detects a cycle and names it', async () => {
    await expectSpecError(loadYaml('services:\n  web:\n    extends: base\n  base:\n    extends: mid\n  mid:\n    extends: web\n'), {
      code: 'EXTENDS',
      file: 'compose.yaml',
      message: /extends cycle: web -> base -> mid -> web/,
    });
    await expectSpecError(loadYaml('services:\n  web:\n    image: a\n    extends: web\n'), { code: 'EXTENDS', line: 4, col: 14, message: /web -> web/ });
  });

  it('reports an unknown base service at the extends key, listing the known ones', async () => {
    const error = await expectSpecError(loadYaml('services:\n  web:\n    extends: bsae\n  base:\n    image: a\n'), {
      code: 'EXTENDS',
      file: 'compose.yaml',
      line: 3,
      col: 14,
      message: /service "web" extends unknown service "bsae"/,
    });
    expect(error.hint).toMatch(/web, base/);
  });

  it('reports an unknown file relative to the declaring file', async () => {
    await expectSpecError(loadYaml('services:\n  web:\n    extends:\n      file: nope.yaml\n      service: base\n'), { code: 'EXTENDS', line: 4, col: 7, message: /extends file not found: nope\.yaml/ });
  });

  it('reports an invalid extends value', async () => {
    await expectSpecError(loadYaml('services:\n  web:\n    extends: [a]\n'), { code: 'EXTENDS', line: 3, message: /must be a service name/ });
  });

  it('extends from another file in another folder: chains there, relative paths made absolute against that folder', async () => {
    const dir = path.join(FIXTURES, 'extends-files/app');
    const common = path.join(FIXTURES, 'extends-files/common');
    const spec = await loadIn(dir);
    expect(services(spec).web).toEqual({
      build: common,
      env_file: path.join(common, 'common.env'),
      volumes: [`${path.join(common, 'data')}:/data`, 'named:/named'],
      environment: { LEVEL: 'web', SHARED: 'base' },
      image: 'app',
    });
    expect(services(spec).local).toMatchObject({ image: 'app', command: ['echo', 'local'], build: common });
    expect(spec.sourceFiles).toContain(path.join(common, 'base.yaml'));
  });

  it('keeps positions of inherited keys in the base file and local keys in the local file', async () => {
    const spec = await loadIn(path.join(FIXTURES, 'extends-files/app'));
    expect(spec.sources.locate(['services', 'web', 'environment', 'SHARED'])).toMatchObject({ file: path.join(FIXTURES, 'extends-files/common/base.yaml'), line: 10 });
    expect(spec.sources.locate(['services', 'web', 'environment', 'LEVEL'])).toMatchObject({ file: 'compose.yaml', line: 8 });
    expect(spec.sources.locate(['services', 'web', 'image'])).toMatchObject({ file: 'compose.yaml', line: 6 });
    expect(spec.sources.locate(['services', 'web'], 'key')).toMatchObject({ file: 'compose.yaml', line: 2 });
  });

  it('keeps relative paths of a base in another file of the same folder', async () => {
    const spec = await loadYaml('services:\n  web:\n    extends: {file: common.yaml, service: base}\n', {
      extra: { 'common.yaml': 'services:\n  base:\n    build: ./app\n    volumes: ["./data:/data"]\n' },
    });
    expect(services(spec).web).toEqual({ build: './app', volumes: ['./data:/data'] });
  });

  it('long-syntax bind sources and build mappings without context are rebased too', async () => {
    const spec = await loadYaml('services:\n  web:\n    extends: {file: lib/common.yaml, service: base}\n', {
      extra: { 'lib/common.yaml': 'services:\n  base:\n    build: {dockerfile: Dockerfile.dev}\n    volumes:\n      - type: bind\n        source: ./src\n        target: /src\n      - type: volume\n        source: data\n        target: /data\n' },
    });
    const web = services(spec).web!;
    const lib = path.join(spec.workingDir, 'lib');
    expect(web.build).toEqual({ dockerfile: 'Dockerfile.dev', context: lib });
    expect(web.volumes).toEqual([{ type: 'bind', source: path.join(lib, 'src'), target: '/src' }, { type: 'volume', source: 'data', target: '/data' }]);
  });
});
