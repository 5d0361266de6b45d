import { describe, expect, it } from 'vitest';
import { EngineError, InternalError, SpecError, StackError, UsageError } from '../../../core/errors.js';
import { codeFrame } from '../../../core/load/source-map.js';
import { displayPath, renderError, renderWarnings } from '../../../cli/render/error.js';

const text = 'services:\n  web:\n    image: busybox\n    ports:\n      - "abc"\n';
const location = { file: '/work/app/compose.yaml', line: 5, col: 9, endLine: 5, endCol: 14 };
const portProblem = {
  message: 'invalid port "abc"',
  path: ['services', 'web', 'ports', 0],
  location,
  frame: codeFrame(text, location),
  hint: 'e.g. "8080:80"',
};
const plain = { color: false, debug: false, cwd: '/work/app' };

describe('renderError', () => {
  it('renders a spec problem as file:line:col: path: message, its frame and its hint', () => {
    const out = renderError(new SpecError('SPEC_INVALID', portProblem), plain);
    expect(out).toBe(
      [
        'compose.yaml:5:9: services.web.ports[0]: invalid port "abc"',
        '  3 |     image: busybox',
        '  4 |     ports:',
        '> 5 |       - "abc"',
        '    |         ^^^^^',
        'hint: e.g. "8080:80"',
        '',
      ].join('\n'),
    );
  });

  it('renders every problem of a SpecError, separated by a blank line', () => {
    const second = { message: 'unknown key', path: ['services', 'db', 'imagee'], location: { file: '/elsewhere/other.yaml', line: 2, col: 3 } };
    const out = renderError(new SpecError('SPEC_INVALID', [portProblem, second]), plain);
    expect(out).toContain('invalid port "abc"');
    expect(out).toContain('\n\n/elsewhere/other.yaml:2:3: services.db.imagee: unknown key\n');
  });

  it('prints a problem without a location as an error line', () => {
    const out = renderError(new SpecError('SPEC_EMPTY', { message: 'the spec defines no services' }), plain);
    expect(out).toBe('error: the spec defines no services\n');
  });

  it('prints the error-level hint when no problem carries it', () => {
    const out = renderError(new SpecError('SPEC_INVALID', { message: 'bad', path: ['x'] }, { hint: 'fix x' }), plain);
    expect(out).toBe('error: x: bad\nhint: fix x\n');
  });

  it('renders other StackErrors as error: message and hint', () => {
    expect(renderError(new UsageError('no such service: wbe', 'did you mean web?'), plain)).toBe('error: no such service: wbe\nhint: did you mean web?\n');
    const engine = new EngineError({ operation: 'create container', resource: 'app-web-1', message: 'conflict' });
    expect(renderError(engine, plain)).toBe('error: create container app-web-1: conflict\n');
  });

  it('turns an unexpected exception into an internal error asking for a report, without a stack', () => {
    const out = renderError(new TypeError('x is undefined'), plain);
    expect(out).toBe(`error: x is undefined\nhint: ${new InternalError('').hint}\n`);
    expect(out).not.toMatch(/^\s+at /m);
  });

  it('adds the stack trace and its causes only with debug', () => {
    const error = new StackError('ENGINE', 'engine unreachable', { cause: new Error('ECONNREFUSED') });
    const out = renderError(error, { ...plain, debug: true });
    expect(out).toMatch(/^error: engine unreachable$/m);
    expect(out).toMatch(/^StackError: engine unreachable$/m);
    expect(out).toMatch(/^caused by: Error: ECONNREFUSED$/m);
    expect(out).toMatch(/^\s+at /m);
  });

  it('uses ANSI colours only when asked', () => {
    const error = new SpecError('SPEC_INVALID', portProblem);
    expect(renderError(error, { ...plain, color: true })).toContain('\u001b[');
    expect(renderError(error, plain)).not.toContain('\u001b[');
  });
});

describe('displayPath', () => {
  it('shortens paths under the working directory and keeps others absolute', () => {
    expect(displayPath('/work/app/sub/compose.yaml', '/work/app')).toBe('sub/compose.yaml');
    expect(displayPath('/work/other/compose.yaml', '/work/app')).toBe('/work/other/compose.yaml');
    expect(displayPath('-', '/work/app')).toBe('-');
  });
});

describe('renderWarnings', () => {
  it('prefixes each warning', () => {
    expect(renderWarnings(['a', 'b'], { color: false })).toBe('warning: a\nwarning: b\n');
  });
});
