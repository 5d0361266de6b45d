import { describe, expect, it } from 'vitest';
import { build, buildChecked, errorOf, fakeFiles, serviceOf, WORKDIR } from './support.js';

describe('environment', () => {
  it('list form: KEY=VAL, KEY from the project environment, KEY unset -> null', () => {
    const project = buildChecked(
      `services:\n  web:\n    image: x\n    environment:\n      - A=1\n      - B=two=2\n      - HOME\n      - MISSING\n      - EMPTY=\n`,
      { environment: { HOME: '/home/ann' } },
    );
    expect(serviceOf(project).environment).toEqual({ A: '1', B: 'two=2', HOME: '/home/ann', MISSING: null, EMPTY: '' });
  });

  it('map form: numbers and booleans become strings, null looks up', () => {
    const project = buildChecked(`services:\n  web:\n    image: x\n    environment:\n      PORT: 8080\n      DEBUG: true\n      RATIO: 0.5\n      USER:\n      NAME: web\n`, {
      environment: { USER: 'ann' },
    });
    expect(serviceOf(project).environment).toEqual({ PORT: '8080', DEBUG: 'true', RATIO: '0.5', USER: 'ann', NAME: 'web' });
  });

  it('is printed as a sorted map and round-trips', async () => {
    const { toCanonical } = await import('../../../core/model/serialize.js');
    const project = build(`services:\n  web:\n    image: x\n    environment: [Z=1, A=2, N]\n`);
    const web = (toCanonical(project).services as Record<string, Record<string, unknown>>).web!;
    expect(web.environment).toEqual({ A: '2', N: null, Z: '1' });
    expect(Object.keys(web.environment as object)).toEqual(['A', 'N', 'Z']);
  });

  it('rejects a list entry without a name', () => {
    expect(errorOf(() => build(`services:\n  web:\n    image: x\n    environment: ["=x"]\n`)).message).toContain('missing variable name');
  });
});

describe('env_file', () => {
  const files = {
    [`${WORKDIR}/.env.web`]: 'A=from-file\nB=file\n# comment\nexport C="quoted # not a comment"\nD=plain # trailing comment\nE=\'single $x\'\n',
    [`${WORKDIR}/second.env`]: 'B=second\nF\n',
  };

  it('string form, relative to the project directory; environment wins', () => {
    const project = buildChecked(`services:\n  web:\n    image: x\n    env_file: .env.web\n    environment:\n      A: from-environment\n`, {
      readFile: fakeFiles(files),
    });
    const web = serviceOf(project);
    expect(web.env_file).toEqual([{ path: `${WORKDIR}/.env.web`, required: true }]);
    expect(web.environment).toEqual({ A: 'from-environment', B: 'file', C: 'quoted # not a comment', D: 'plain', E: 'single $x' });
    expect(project.sourceFiles).toContain(`${WORKDIR}/.env.web`);
  });

  it('list form: later files win; a bare KEY takes the project environment', () => {
    const project = buildChecked(`services:\n  web:\n    image: x\n    env_file: [.env.web, ./second.env]\n`, {
      readFile: fakeFiles(files),
      environment: { F: 'shell' },
    });
    expect(serviceOf(project).environment).toMatchObject({ A: 'from-file', B: 'second', F: 'shell' });
  });

  it('long form: a missing optional file is skipped', () => {
    const project = buildChecked(`services:\n  web:\n    image: x\n    env_file:\n      - path: ./nope.env\n        required: false\n      - path: second.env\n        format: raw\n`, {
      readFile: fakeFiles(files),
    });
    const web = serviceOf(project);
    expect(web.env_file).toEqual([
      { path: `${WORKDIR}/nope.env`, required: false },
      { path: `${WORKDIR}/second.env`, required: true, format: 'raw' },
    ]);
    expect(web.environment).toEqual({ B: 'second' });
  });

  it('a missing required file is a positioned error', () => {
    const error = errorOf(() => build(`services:\n  web:\n    image: x\n    env_file:\n      - ./nope.env\n`, { readFile: fakeFiles(files) }));
    expect(error.code).toBe('SPEC_INVALID');
    expect(error.message).toContain(`env file ${WORKDIR}/nope.env: not found`);
    expect(error.problems?.[0]?.location).toMatchObject({ line: 5, col: 9 });
  });

  it('values may use ${VAR} from the project environment', () => {
    const project = build(`services:\n  web:\n    image: x\n    env_file: a.env\n`, {
      readFile: fakeFiles({ [`${WORKDIR}/a.env`]: 'URL=http://${HOST}:80\n' }),
      environment: { HOST: 'db' },
    });
    expect(serviceOf(project).environment).toEqual({ URL: 'http://db:80' });
  });

  it('an absolute path (from extends/include) is kept', () => {
    const project = build(`services:\n  web:\n    image: x\n    env_file: /elsewhere/base.env\n`, { readFile: fakeFiles({ '/elsewhere/base.env': 'X=1' }) });
    expect(serviceOf(project).environment).toEqual({ X: '1' });
  });
});
