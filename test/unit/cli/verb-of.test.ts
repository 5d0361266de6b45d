import { describe, expect, test } from 'vitest';
import { globalValueBeforeVerb, verbOf } from '../../../cli/verb-of.js';
import { VERBS } from '../../../cli/verbs.js';

describe('verbOf: the verb a run names, so that only it is loaded', () => {
  test('skips global flags and their values', () => {
    expect(verbOf(['ps'])).toBe('ps');
    expect(verbOf(['-p', 'demo', '-f', 'a.yaml', '--profile', 'x', 'up', '-d'])).toBe('up');
    expect(verbOf(['--project-name=demo', '--dry-run', '--parallel', '4', 'down'])).toBe('down');
    expect(verbOf(['-pdemo', 'logs', '-f'])).toBe('logs');
    expect(verbOf(['--ansi', 'never', '--progress', 'plain', '--env-file', '.env.dev', '--project-directory', 'app', 'config'])).toBe('config');
  });

  test('help, no verb, or only flags: undefined (every verb is registered)', () => {
    expect(verbOf([])).toBeUndefined();
    expect(verbOf(['--help'])).toBeUndefined();
    expect(verbOf(['-p', 'demo', '-h'])).toBeUndefined();
    expect(verbOf(['help', 'up'])).toBeUndefined();
    expect(verbOf(['-p', 'demo'])).toBeUndefined();
  });

  test('an unknown word is returned as it is; the program then registers every verb to suggest one', () => {
    expect(verbOf(['pss'])).toBe('pss');
    expect(Object.hasOwn(VERBS, 'pss')).toBe(false);
    expect(Object.keys(VERBS)).toEqual(expect.arrayContaining(['up', 'down', 'ps', 'logs', 'config', 'build', 'pull', 'push', 'watch']));
  });
});

describe('globalValueBeforeVerb: what the launcher can know before the program is set up', () => {
  test('-p and --project-name in their forms, before the verb only; the last one wins', () => {
    expect(globalValueBeforeVerb(['-p', 'demo', 'ps'], '-p', '--project-name')).toBe('demo');
    expect(globalValueBeforeVerb(['-pdemo', 'ps'], '-p', '--project-name')).toBe('demo');
    expect(globalValueBeforeVerb(['--project-name=demo', 'up', '-d'], '-p', '--project-name')).toBe('demo');
    expect(globalValueBeforeVerb(['-f', 'a.yaml', '--project-name', 'one', '-p', 'two', 'down'], '-p', '--project-name')).toBe('two');
    expect(globalValueBeforeVerb(['--progress', 'quiet', '--project-directory', 'x', 'ps'], '-p', '--project-name')).toBeUndefined();
    // After the verb a flag may mean something else (`run -p 8080:80` publishes a port).
    expect(globalValueBeforeVerb(['run', '-p', '8080:80', 'web'], '-p', '--project-name')).toBeUndefined();
  });
});
