import { describe, expect, it } from 'vitest';
import { splitShellWords } from '../../../core/model/canonical/command.js';
import { build, buildChecked, errorOf, serviceOf } from './support.js';

describe('splitShellWords', () => {
  it.each([
    ['echo hello world', ['echo', 'hello', 'world']],
    [`sh -c "echo 'hi there'"`, ['sh', '-c', "echo 'hi there'"]],
    [`printf '%s\\n' a`, ['printf', '%s\\n', 'a']],
    ['a\\ b c', ['a b', 'c']],
    [`"a \\"quoted\\" word"`, ['a "quoted" word']],
    ['  spaced   out  ', ['spaced', 'out']],
    [`""`, ['']],
    ['npm run dev -- --port=3000', ['npm', 'run', 'dev', '--', '--port=3000']],
  ])('%s', (text, words) => {
    expect(splitShellWords(text)).toEqual(words);
  });

  it('throws on an unclosed quote', () => {
    expect(() => splitShellWords('echo "oops')).toThrow('unclosed double quote');
  });
});

describe('command and entrypoint', () => {
  it('string -> argv, list kept, round trip', () => {
    const project = buildChecked(`
services:
  web:
    image: x
    command: node server.js --port "8080"
    entrypoint: ["/bin/sh", "-c"]
`);
    expect(serviceOf(project).command).toEqual(['node', 'server.js', '--port', '8080']);
    expect(serviceOf(project).entrypoint).toEqual(['/bin/sh', '-c']);
  });

  it('null and [] are kept (they clear the image value)', () => {
    const project = buildChecked(`services:\n  web:\n    image: x\n    command: null\n    entrypoint: []\n`);
    expect(serviceOf(project).command).toBeNull();
    expect(serviceOf(project).entrypoint).toEqual([]);
  });

  it('absent stays undefined', () => {
    expect(serviceOf(build(`services:\n  web:\n    image: x\n`)).command).toBeUndefined();
  });

  it('an unclosed quote is a positioned error', () => {
    const error = errorOf(() => build(`services:\n  web:\n    image: x\n    command: echo 'oops\n`));
    expect(error.message).toContain('unclosed single quote');
    expect(error.problems?.[0]?.path).toEqual(['services', 'web', 'command']);
    expect(error.problems?.[0]?.location?.line).toBe(4);
  });
});
