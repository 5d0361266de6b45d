import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toCanonical } from '../../../core/model/serialize.js';
import { build, buildChecked, errorOf, fakeFiles, serviceOf, WORKDIR } from './support.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const files = fakeFiles({ [`${WORKDIR}/secrets/db.txt`]: 's3cret', '/abs/app.conf': 'port=1' });

const spec = `
services:
  web:
    image: x
    secrets:
      - db_password
      - source: api_key
        target: api.key
        uid: "1000"
        gid: "1000"
        mode: 0440
      - source: db_password
        target: /etc/db
    configs:
      - app_conf
      - source: inline
        target: /etc/inline.conf
        mode: "0444"
secrets:
  db_password:
    file: ./secrets/db.txt
  api_key:
    environment: API_KEY
  outside:
    external: true
configs:
  app_conf:
    file: /abs/app.conf
  inline:
    content: |
      hello
    labels: [a=b]
  from_env:
    environment: API_KEY
`;

describe('secrets and configs', () => {
  const project = buildChecked(spec, { readFile: files, environment: { API_KEY: 'k-123' } });

  it('top-level secrets: file resolved, names filled, digests of the content', () => {
    expect(project.secrets.db_password).toEqual({
      name: 'demo_db_password',
      file: `${WORKDIR}/secrets/db.txt`,
      digest: sha('s3cret'),
      external: false,
      labels: {},
      extensions: {},
    });
    expect(project.secrets.api_key).toMatchObject({ name: 'demo_api_key', environment: 'API_KEY', digest: sha('k-123') });
    expect(project.secrets.outside).toMatchObject({ name: 'outside', external: true });
    expect(project.secrets.outside?.digest).toBeUndefined();
    expect(project.sourceFiles).toContain(`${WORKDIR}/secrets/db.txt`);
  });

  it('top-level configs: file, content, environment', () => {
    expect(project.configs.app_conf).toMatchObject({ name: 'demo_app_conf', file: '/abs/app.conf', digest: sha('port=1') });
    expect(project.configs.inline).toMatchObject({ content: 'hello\n', digest: sha('hello\n'), labels: { a: 'b' } });
    expect(project.configs.from_env).toMatchObject({ environment: 'API_KEY', digest: sha('k-123') });
  });

  it('service references: short form and relative targets', () => {
    const web = serviceOf(project);
    expect(web.secrets).toEqual([
      { source: 'db_password', target: '/run/secrets/db_password' },
      { source: 'api_key', target: '/run/secrets/api.key', uid: '1000', gid: '1000', mode: 440 },
      { source: 'db_password', target: '/etc/db' },
    ]);
    expect(web.configs).toEqual([
      { source: 'app_conf', target: '/app_conf' },
      { source: 'inline', target: '/etc/inline.conf', mode: 0o444 },
    ]);
  });

  it('never prints digests', () => {
    const text = JSON.stringify(toCanonical(project));
    expect(text).not.toContain('digest');
    expect(text).not.toContain(sha('s3cret'));
  });

  it('a missing secret file is a positioned error', () => {
    const error = errorOf(() => build(`services:\n  web:\n    image: x\n    secrets: [s]\nsecrets:\n  s:\n    file: ./nope\n`, { readFile: files }));
    expect(error.message).toContain(`${WORKDIR}/nope: not found`);
    expect(error.problems?.[0]?.location?.line).toBe(7);
  });

  it('a missing file of an unused secret is no error (and has no digest)', () => {
    const project = build(`services:\n  web:\n    image: x\nsecrets:\n  s:\n    file: ./nope\n`, { readFile: files });
    expect(project.secrets.s).toMatchObject({ file: `${WORKDIR}/nope` });
    expect(project.secrets.s?.digest).toBeUndefined();
  });

  it('an undefined secret is an error', () => {
    expect(errorOf(() => build(`services:\n  web:\n    image: x\n    secrets: [nope]\n`)).message).toContain('refers to undefined secret "nope"');
  });

  it('two sources is an error', () => {
    const error = errorOf(() => build(`services:\n  web:\n    image: x\nconfigs:\n  c:\n    file: /abs/app.conf\n    content: x\n`, { readFile: files }));
    expect(error.message).toContain('sets file and content');
  });

  it('an unset environment source warns', () => {
    const warned = build(`services:\n  web:\n    image: x\nsecrets:\n  s:\n    environment: NOPE\n`);
    expect(warned.warnings.join('\n')).toContain('variable NOPE is not set');
  });
});
