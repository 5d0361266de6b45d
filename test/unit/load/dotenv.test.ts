import { describe, expect, it } from 'vitest';
import { SpecError } from '../../../core/errors.js';
import { parseDotenv } from '../../../core/load/dotenv.js';

const parse = (text: string, env: Record<string, string> = {}): Record<string, string> => parseDotenv(text, '.env', (name) => env[name]);

function errorOf(text: string): SpecError {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof SpecError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('dotenv', () => {
  it('reads KEY=VAL, export KEY=VAL and KEY: VAL, skipping blank and comment lines', () => {
    expect(parse('# comment\n\nA=1\nexport B=2\n  C = 3  \nD: 4\n')).toEqual({ A: '1', B: '2', C: '3', D: '4' });
  });

  it('trims unquoted values and cuts inline comments that follow a space', () => {
    expect(parse('A=  hello world   # note\nB=a#b\nC=#notacomment\nD=\n')).toEqual({ A: 'hello world', B: 'a#b', C: '#notacomment', D: '' });
  });

  it('keeps single-quoted values literal', () => {
    expect(parse("A='  ${HOME} \\n # x '\n", { HOME: '/root' })).toEqual({ A: '  ${HOME} \\n # x ' });
  });

  it('expands escapes in double quotes, including multi-line values', () => {
    expect(parse('A="one\\ntwo\\t\\"q\\" \\\\ \\$X"\nB="line1\nline2"\nC="# not a comment" # a comment\n')).toEqual({
      A: 'one\ntwo\t"q" \\ $X',
      B: 'line1\nline2',
      C: '# not a comment',
    });
  });

  it('interpolates unquoted and double-quoted values from the environment first, then earlier keys', () => {
    expect(parse('BASE=/opt\nDIR=${BASE}/app\nQ="$BASE/q"\nLIT=\'${BASE}\'\nFROM_ENV=${HOME:-none}\nDEF=${NOPE:-dflt}\n', { HOME: '/root' })).toEqual({
      BASE: '/opt',
      DIR: '/opt/app',
      Q: '/opt/q',
      LIT: '${BASE}',
      FROM_ENV: '/root',
      DEF: 'dflt',
    });
    expect(parse('A=file\nB=$A\n', { A: 'shell' })).toEqual({ A: 'file', B: 'shell' });
  });

  it('takes a bare KEY from the environment when set there, else ignores it', () => {
    expect(parse('PASSED\nMISSING\n', { PASSED: 'yes' })).toEqual({ PASSED: 'yes' });
  });

  it('later keys override earlier ones; handles CRLF line ends', () => {
    expect(parse('A=1\r\nA=2\r\nB="x"\r\n')).toEqual({ A: '2', B: 'x' });
  });

  it('reports an invalid name with file:line:col', () => {
    const error = errorOf('A=1\n\n  1BAD=x\n');
    expect(error.location).toEqual({ file: '.env', line: 3, col: 3 });
    expect(error.message).toMatch(/invalid variable name "1BAD"/);
  });

  it('reports a space in a name (missing =)', () => {
    expect(errorOf('MY VAR=1\n').message).toMatch(/\.env:1:4: expected "=" after MY/);
  });

  it('reports unclosed quotes at the opening quote', () => {
    expect(errorOf('A=1\nB="never closed\n').location).toMatchObject({ line: 2, col: 3 });
    expect(errorOf("B='x\n").message).toMatch(/closing single quote/);
  });

  it('reports text after a closing quote', () => {
    expect(errorOf('A="x" y\n').location).toMatchObject({ line: 1, col: 7 });
  });

  it('reports invalid interpolation as INTERPOLATION with the line', () => {
    const error = errorOf('A=ok\nB=${oops\n');
    expect(error.code).toBe('INTERPOLATION');
    expect(error.location).toMatchObject({ file: '.env', line: 2 });
  });
});
