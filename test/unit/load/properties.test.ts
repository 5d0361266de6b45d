// Property tests: whatever text reaches the loader, only StackErrors come out (never a raw
// exception, never an INTERNAL "bug" error, never a hang).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpecError, StackError } from '../../../core/errors.js';
import { interpolateString } from '../../../core/load/interpolate.js';
import { parseDotenv } from '../../../core/load/dotenv.js';
import { loadSpec, loadSpecFromText } from '../../../core/load/index.js';
import { isOverride, isReset } from '../../../core/load/markers.js';
import { tempProject } from './helpers.js';

const RUNS = Number(process.env.STACK_PROP_RUNS ?? 200);

/** Text made of the pieces that matter to the interpolation grammar. */
const interpolationText = fc
  .array(fc.constantFrom('$', '$$', '${', '}', '{', ':', '-', '?', '+', ':-', ':?', ':+', 'VAR', 'A', '_x', '1', ' ', 'text', '\\', '"'), { maxLength: 30 })
  .map((parts) => parts.join(''));

/** YAML-ish text: the tokens that steer the parser and the loader stages. */
const yamlishText = fc
  .array(
    fc.constantFrom(
      'services:', 'web:', 'image: x', 'extends: web', 'extends: {service: db}', 'include: [a.yaml]', 'version: "1"', 'name: Bad Name', 'ports:', '- "80:80"',
      '- ', ': ', '  ', '    ', '\n', '\t', '&a ', '*a', '<<: *a', '!reset ', '!override ', '${', '${X:?boom}', '$$', '"', "'", '[', ']', '{', '}', '#',
      '---', 'x-', '1: a', '~', 'null', 'true', 'environment:', '- A=1', 'build: .', 'networks:', 'volumes:', 'net: host', 'depends_on: [web]',
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

const VALID_SPEC = `name: demo
x-common: &common
  restart: always
  environment:
    TZ: \${TZ:-UTC}
services:
  base:
    <<: *common
    image: nginx:\${TAG:-latest}
    ports: ["80:80"]
  web:
    extends: base
    command: ["echo", "$$HOME"]
    volumes:
      - ./data:/data
    depends_on: [db]
  db:
    image: postgres
    ports: !reset []
networks:
  front: {}
`;

/** The valid spec with a few random edits (insert, delete, replace a character). */
const mutatedSpec = fc
  .array(fc.tuple(fc.nat({ max: VALID_SPEC.length }), fc.constantFrom('insert', 'delete', 'replace'), fc.constantFrom(' ', '\t', ':', '-', '\n', '$', '{', '}', '"', '&', '*', '!', '#', 'x', '[')), {
    minLength: 1,
    maxLength: 5,
  })
  .map((edits) => {
    let text = VALID_SPEC;
    for (const [at, kind, char] of edits) {
      const i = Math.min(at, text.length);
      if (kind === 'insert') text = text.slice(0, i) + char + text.slice(i);
      else if (kind === 'delete') text = text.slice(0, i) + text.slice(i + 1);
      else text = text.slice(0, i) + char + text.slice(i + 1);
    }
    return text;
  });

const randomBytes = fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('utf8'));

function onlyStackErrors(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(StackError);
    expect((error as StackError).code).not.toBe('INTERNAL');
  }
}

function hasMarkers(value: unknown): boolean {
  if (isReset(value) || isOverride(value)) return true;
  if (Array.isArray(value)) return value.some(hasMarkers);
  if (value && typeof value === 'object') return Object.values(value).some(hasMarkers);
  return false;
}

describe('interpolateString properties', () => {
  const lookup = (name: string): string | undefined => ({ VAR: 'v', A: '', _x: '$NOT_AGAIN' })[name];

  it('returns a string or throws an INTERPOLATION SpecError, for grammar-shaped text', () => {
    fc.assert(
      fc.property(interpolationText, (text) => {
        try {
          expect(typeof interpolateString(text, lookup)).toBe('string');
        } catch (error) {
          expect(error).toBeInstanceOf(SpecError);
          expect((error as SpecError).code).toBe('INTERPOLATION');
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('returns a string or throws an INTERPOLATION SpecError, for any text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 100 }), fc.string({ unit: 'binary', maxLength: 30 })), (text) => {
        try {
          interpolateString(text, lookup);
        } catch (error) {
          expect((error as SpecError).code).toBe('INTERPOLATION');
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('leaves text without $ unchanged, and `$$`-escaped text comes back as written', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        expect(interpolateString(text.replaceAll('$', ''), lookup)).toBe(text.replaceAll('$', ''));
        expect(interpolateString(text.replaceAll('$', () => '$$'), lookup)).toBe(text);
      }),
      { numRuns: RUNS },
    );
  });

  it('never re-expands substituted values', () => {
    expect(interpolateString('${_x}', lookup)).toBe('$NOT_AGAIN');
  });
});

describe('parseDotenv properties', () => {
  it('returns values or throws a positioned SpecError', () => {
    const dotenvText = fc.array(fc.constantFrom('A=1', 'export ', 'B', '=', '"', "'", '\\', '\n', ' #', '${', '}', '$A', ' ', 'é', '1X=', ':'), { maxLength: 30 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(dotenvText, fc.string({ maxLength: 80 })), (text) => {
        try {
          parseDotenv(text, '.env', () => undefined);
        } catch (error) {
          expect(error).toBeInstanceOf(SpecError);
          expect((error as SpecError).location?.file).toBe('.env');
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('loadSpecFromText properties', () => {
  const check = async (text: string, cwd: string): Promise<void> => {
    try {
      const spec = await loadSpecFromText(text, { cwd, projectName: 'prop' });
      expect(hasMarkers(spec.data)).toBe(false);
      expect(() => JSON.stringify(spec.data)).not.toThrow();
    } catch (error) {
      expect(error).toBeInstanceOf(StackError);
      expect((error as StackError).code, String(error)).not.toBe('INTERNAL');
    }
  };

  it('loads the unmutated sample spec', async () => {
    const spec = await loadSpecFromText(VALID_SPEC, { cwd: tempProject(), projectName: 'prop' });
    expect((spec.data.services as Record<string, unknown>).web).toMatchObject({ image: 'nginx:latest', command: ['echo', '$HOME'], restart: 'always' });
  });

  it.each([
    ['random strings', fc.string({ maxLength: 200 })],
    ['random bytes', randomBytes],
    ['YAML-ish text', yamlishText],
    ['mutated specs', mutatedSpec],
  ] as const)('only StackErrors come out of %s', async (_name, arbitrary) => {
    const cwd = tempProject();
    await fc.assert(
      fc.asyncProperty(arbitrary, (text) => check(text, cwd)),
      { numRuns: RUNS },
    );
  }, 30_000);

  it('only StackErrors come out of random interpolation expressions in values', async () => {
    const cwd = tempProject();
    await fc.assert(
      fc.asyncProperty(interpolationText, async (expression) => {
        await check(`services:\n  web:\n    image: ${JSON.stringify(expression)}\n`, cwd);
      }),
      { numRuns: RUNS },
    );
  }, 30_000);

  it('only StackErrors come out of a random override file merged over a valid spec', async () => {
    const cwd = tempProject({ 'compose.yaml': VALID_SPEC });
    await fc.assert(
      fc.asyncProperty(fc.oneof(yamlishText, mutatedSpec), async (override) => {
        writeFileSync(path.join(cwd, 'override.yaml'), override);
        try {
          const spec = await loadSpec({ files: ['compose.yaml', 'override.yaml'], cwd, envFiles: [], environment: {}, interpolate: true, projectName: 'prop' });
          expect(hasMarkers(spec.data)).toBe(false);
        } catch (error) {
          expect(error).toBeInstanceOf(StackError);
          expect((error as StackError).code, String(error)).not.toBe('INTERNAL');
        }
      }),
      { numRuns: RUNS },
    );
  }, 30_000);

  it('never calls the result of a random spec a bug (onlyStackErrors helper sanity)', () => {
    onlyStackErrors(() => {
      throw new SpecError('YAML_SYNTAX', { message: 'x' });
    });
  });
});
