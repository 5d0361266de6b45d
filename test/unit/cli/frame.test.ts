// The CLI frame through the built binary: version, usage errors, error rendering and exit codes.
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, fixture, stack, STACK_LINE } from './support/stack.js';

beforeAll(() => ensureBuilt(), 120_000);

const version = (JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'))) as { version: string }).version;

describe('stack --version', () => {
  it.each([['--version'], ['-v']])('prints the version with %s', (flag) => {
    expect(stack([flag])).toEqual({ status: 0, stdout: `stack version ${version}\n`, stderr: '' });
  });

  it('prints the bare number with version --short', () => {
    expect(stack(['version', '--short']).stdout).toBe(`${version}\n`);
  });
});

describe('usage errors', () => {
  it('suggests the closest command for an unknown one and exits 1', () => {
    const result = stack(['confg']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("unknown command 'confg'");
    expect(result.stderr).toContain('Did you mean config?');
  });

  it('suggests the closest flag for an unknown one and exits 1', () => {
    const result = stack(['config', '--servics']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("unknown option '--servics'");
    expect(result.stderr).toContain('Did you mean --services?');
  });

  it('rejects a value outside the choices of --progress', () => {
    const result = stack(['--progress', 'fancy', 'config']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Allowed choices are auto, tty, plain, json, quiet');
  });

  it('prints help on stdout with --help and exits 0', () => {
    const result = stack(['config', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: stack config');
    expect(result.stdout).toContain('--no-interpolate');
  });
});

describe('spec errors', () => {
  it('shows file:line:col, key path, code frame and hint, without a stack trace', () => {
    const result = stack(['config'], { cwd: fixture('bad') });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^compose\.yaml:4:5: services\.web\.imagee: /m);
    expect(result.stderr).toMatch(/^> 4 \|\s+imagee: busybox$/m);
    expect(result.stderr).toMatch(/^\s+\|\s+\^+$/m);
    expect(result.stderr).toMatch(/^hint: .*image/m);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).not.toContain('\u001b[');
  });

  it('adds a stack trace with --debug', () => {
    const result = stack(['--debug', 'config'], { cwd: fixture('bad') });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^compose\.yaml:4:5: /m);
    expect(result.stderr).toMatch(STACK_LINE);
  });

  it('colours the output with --ansi always, and not with NO_COLOR', () => {
    expect(stack(['--ansi', 'always', 'config'], { cwd: fixture('bad') }).stderr).toContain('\u001b[');
    expect(stack(['config'], { cwd: fixture('bad'), env: { NO_COLOR: '1', FORCE_COLOR: '1' } }).stderr).not.toContain('\u001b[');
  });

  it('reports a missing spec as an error with a hint and no stack trace', () => {
    const result = stack(['config', '-f', 'does-not-exist.yaml'], { cwd: fixture('basic') });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: .*does-not-exist\.yaml/m);
    expect(result.stderr).not.toMatch(STACK_LINE);
  });
});
