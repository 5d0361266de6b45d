import { describe, expect, it } from 'vitest';
import { SpecError } from '../../../core/errors.js';
import { interpolateString } from '../../../core/load/interpolate.js';
import { expectSpecError, loadYaml, services } from './helpers.js';

const env: Record<string, string> = { NAME: 'web', EMPTY: '', TAG: '1.27', B: 'bee' };
const lookup = (name: string): string | undefined => env[name];
const run = (text: string): string => interpolateString(text, lookup);

describe('interpolateString', () => {
  it.each([
    ['$NAME', 'web'],
    ['${NAME}', 'web'],
    ['pre-${NAME}-post', 'pre-web-post'],
    ['$NAME.x', 'web.x'],
    ['${UNSET:-def}', 'def'],
    ['${EMPTY:-def}', 'def'],
    ['${UNSET-def}', 'def'],
    ['${EMPTY-def}', ''],
    ['${NAME:-def}', 'web'],
    ['${NAME:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET+alt}', ''],
    ['${UNSET:+alt}', ''],
    ['${NAME:?boom}', 'web'],
    ['${EMPTY?boom}', ''],
    ['$$NAME', '$NAME'],
    ['$${NAME}', '${NAME}'],
    ['cost: 5$', 'cost: 5$'],
    ['$1 and $ alone', '$1 and $ alone'],
    ['${UNSET:-${B}}', 'bee'],
    ['${UNSET:-${ALSO_UNSET:-x}}', 'x'],
    ['${UNSET:-a${B}c}', 'abeec'],
    ['${NAME:+${TAG}-${B}}', '1.27-bee'],
    ['${UNSET:-$${literal}}', '${literal}'],
    ['${UNSET:-}', ''],
    ['${UNSET:-with spaces and : colons}', 'with spaces and : colons'],
  ])('%s -> %s', (text, expected) => {
    expect(run(text)).toBe(expected);
  });

  it('reports unset variables without default through onUnset, and not those with one', () => {
    const unset: string[] = [];
    const out = interpolateString('${A}-$B2-${C:-x}-${D-y}-${E:+z}', () => undefined, { onUnset: (name) => unset.push(name) });
    expect(out).toBe('--x-y-');
    expect(unset).toEqual(['A', 'B2']);
  });

  it('does not evaluate a default that is not needed (no error from an unused ${X:?})', () => {
    expect(run('${NAME:-${UNSET:?never}}')).toBe('web');
  });

  it('fails on required variables, carrying the message', () => {
    expect(() => run('${UNSET:?set UNSET please}')).toThrow(/required variable UNSET is not set: set UNSET please/);
    expect(() => run('${EMPTY:?must not be empty}')).toThrow(/required variable EMPTY is empty: must not be empty/);
    expect(() => run('${UNSET?}')).toThrow(/required variable UNSET is not set$/);
  });

  it.each(['${', '${VAR', '${VAR:-x', '${}', '${1X}', '${VAR!}', '${ VAR}', 'a ${VAR:-${B}'])('rejects invalid syntax %s with an INTERPOLATION SpecError', (text) => {
    let caught: unknown;
    try {
      run(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SpecError);
    expect((caught as SpecError).code).toBe('INTERPOLATION');
    expect((caught as SpecError).message).toMatch(/invalid interpolation format/);
  });
});

describe('interpolation in a spec', () => {
  it('interpolates values, never keys, from the shell over .env', async () => {
    const spec = await loadYaml('services:\n  ${NAME}:\n    image: nginx:${TAG}\n    environment:\n      KEY: ${FROM_ENV_FILE}\n', {
      environment: { TAG: 'shell', NAME: 'x' },
      extra: { '.env': 'TAG=dotenv\nFROM_ENV_FILE=file\n' },
    });
    expect(Object.keys(services(spec))).toEqual(['${NAME}']);
    expect(services(spec)['${NAME}']).toEqual({ image: 'nginx:shell', environment: { KEY: 'file' } });
    expect(spec.environment).toMatchObject({ TAG: 'shell', FROM_ENV_FILE: 'file', NAME: 'x' });
  });

  it('uses --env-file files instead of .env, later files winning', async () => {
    const spec = await loadYaml('services:\n  web:\n    image: ${A}-${B}\n', {
      envFiles: ['one.env', 'two.env'],
      extra: { '.env': 'A=dotenv\n', 'one.env': 'A=one\nB=one\n', 'two.env': 'B=two\n' },
    });
    expect(services(spec).web?.image).toBe('one-two');
    expect(spec.sourceFiles.some((file) => file.endsWith('two.env'))).toBe(true);
  });

  it('leaves non-string values alone', async () => {
    const spec = await loadYaml('services:\n  web:\n    image: a\n    scale: 2\n    init: true\n');
    expect(services(spec).web).toMatchObject({ scale: 2, init: true });
  });

  it('warns about an unset variable with file:line:col and the key path', async () => {
    const spec = await loadYaml('services:\n  web:\n    image: nginx:${TAG}\n');
    expect(spec.warnings).toEqual(['compose.yaml:3:12: services.web.image: variable TAG is not set, using an empty string']);
    expect(services(spec).web?.image).toBe('nginx:');
  });

  it('fails on ${VAR:?message} at the value, with the message', async () => {
    const error = await expectSpecError(loadYaml('services:\n  web:\n    image: a\n    environment:\n      - PASSWORD=${DB_PASSWORD:?set DB_PASSWORD in .env}\n'), {
      code: 'INTERPOLATION',
      file: 'compose.yaml',
      line: 5,
      col: 9,
      message: /services\.web\.environment\[0\]: required variable DB_PASSWORD is not set: set DB_PASSWORD in \.env/,
    });
    expect(error.problems[0]?.frame).toContain('> 5 |');
  });

  it('fails on invalid syntax at the value', async () => {
    await expectSpecError(loadYaml('services:\n  web:\n    image: "nginx:${TAG"\n'), { code: 'INTERPOLATION', line: 3, col: 12, message: /invalid interpolation format/ });
  });

  it('keeps ${VAR} as written with interpolate: false', async () => {
    const spec = await loadYaml('services:\n  web:\n    image: nginx:${TAG:?x}\n', { interpolate: false });
    expect(services(spec).web?.image).toBe('nginx:${TAG:?x}');
    expect(spec.warnings).toEqual([]);
  });

  it('interpolates each file on its own before merging', async () => {
    const spec = await loadYaml('services:\n  web:\n    image: ${IMAGE}\n', {
      files: ['compose.yaml', 'override.yaml'],
      extra: { 'override.yaml': 'services:\n  web:\n    image: $$literal\n' },
      environment: { IMAGE: 'x' },
    });
    expect(services(spec).web?.image).toBe('$literal');
  });

  it('interpolates inside !override values', async () => {
    const spec = await loadYaml('services:\n  web:\n    image: a\n    ports: ["1:1"]\n', {
      files: ['compose.yaml', 'o.yaml'],
      extra: { 'o.yaml': 'services:\n  web:\n    ports: !override ["${P}:80"]\n' },
      environment: { P: '8080' },
    });
    expect(services(spec).web?.ports).toEqual(['8080:80']);
  });
});
