// Project names for the label-only verbs, without loading the spec: -p > COMPOSE_PROJECT_NAME
// (shell, then .env) > top-level `name:` > directory name; a broken spec does not matter.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveProjectRef, type ProjectRefOptions } from '../../../core/ops/project-ref.js';

const dirs: string[] = [];
function folder(files: Record<string, string>, name = 'My_App'): string {
  const root = mkdtempSync(join(tmpdir(), 'stack-ref-'));
  dirs.push(root);
  const dir = join(root, name);
  mkdirSync(dir);
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const options = (cwd: string, extra: Partial<ProjectRefOptions> = {}): ProjectRefOptions => ({ files: [], envFiles: [], environment: {}, cwd, ...extra });
const BROKEN = 'services:\n  web: [unclosed\n';

describe('resolveProjectRef', () => {
  it('takes -p, then COMPOSE_PROJECT_NAME, even with a broken spec', async () => {
    const dir = folder({ 'compose.yaml': BROKEN });
    expect((await resolveProjectRef(options(dir, { projectName: 'given' }))).name).toBe('given');
    expect((await resolveProjectRef(options(dir, { environment: { COMPOSE_PROJECT_NAME: 'fromenv' } }))).name).toBe('fromenv');
    await expect(resolveProjectRef(options(dir, { projectName: 'Bad Name' }))).rejects.toThrow(/invalid project name/);
  });

  it('reads COMPOSE_PROJECT_NAME from .env, then the name: line, then the directory', async () => {
    expect((await resolveProjectRef(options(folder({ 'compose.yaml': BROKEN, '.env': 'COMPOSE_PROJECT_NAME=dotenv\n' })))).name).toBe('dotenv');
    expect((await resolveProjectRef(options(folder({ 'compose.yaml': `name: "named" # comment\n${BROKEN}` })))).name).toBe('named');
    const dir = folder({ 'compose.yaml': BROKEN });
    const ref = await resolveProjectRef(options(dir));
    expect(ref).toEqual({ name: 'my_app', workingDir: dir, configFiles: [join(dir, 'compose.yaml')] });
  });

  it('uses the last name: across -f files and interpolates it through the loader', async () => {
    const dir = folder({ 'a.yaml': 'name: first\nservices: {}\n', 'b.yaml': 'name: ${PROJECT}\nservices: {}\n' });
    expect((await resolveProjectRef(options(dir, { files: ['a.yaml'] }))).name).toBe('first');
    expect((await resolveProjectRef(options(dir, { files: ['a.yaml', 'b.yaml'], environment: { PROJECT: 'second' } }))).name).toBe('second');
  });

  it('falls back to the directory name when there is no spec at all', async () => {
    const dir = folder({}, 'no-spec-here');
    expect((await resolveProjectRef(options(dir))).name).toBe('no-spec-here');
  });
});
