import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WatchRule } from '../../../core/model/types.js';
import { applySyncPlan, containerPath, PathEscapeError, planInitialSync, planRuleSync, ruleFilter } from '../../../core/watch/sync.js';
import type { FileChange } from '../../../core/watch/watcher.js';

const rule = (overrides: Partial<WatchRule> = {}): WatchRule => ({ path: '/src/app', action: 'sync', target: '/app', ignore: [], ...overrides });
const change = (path: string, kind: FileChange['kind'] = 'change'): FileChange => ({ path, kind });

describe('ignore rules', () => {
  it('ignores VCS folders and editor temp files by default, at any depth', () => {
    const filter = ruleFilter({ rule: rule() });
    for (const path of ['.git', '.git/HEAD', 'lib/.hg/store', '.svn', 'index.js~', '.index.js.swp', 'lib/.#index.js', '4913', 'lib/4913', 'x.tmp']) {
      expect(filter.ignored(`/src/app/${path}`), path).toBe(true);
    }
    for (const path of ['index.js', 'lib/util.js', 'git.js', 'tmp/x.js']) expect(filter.ignored(`/src/app/${path}`), path).toBe(false);
  });

  it('applies the rule ignore patterns relative to the watched path', () => {
    const filter = ruleFilter({ rule: rule({ ignore: ['node_modules/', '*.log'] }) });
    expect(filter.ignored('/src/app/node_modules')).toBe(true);
    expect(filter.ignored('/src/app/node_modules/x/index.js')).toBe(true);
    expect(filter.ignored('/src/app/debug.log')).toBe(true);
    expect(filter.ignored('/src/app/lib/main.js')).toBe(false);
  });

  it('applies .dockerignore patterns relative to their own base (the build context)', () => {
    const filter = ruleFilter({ rule: rule({ path: '/src/app/web' }), dockerignore: ['web/secret.txt', '**/*.bak'], dockerignoreBase: '/src/app' });
    expect(filter.ignored('/src/app/web/secret.txt')).toBe(true);
    expect(filter.ignored('/src/app/web/a/b.bak')).toBe(true);
    expect(filter.ignored('/src/app/web/index.html')).toBe(false);
  });

  it('with include, only matching files are wanted (folders are still walked)', () => {
    const filter = ruleFilter({ rule: rule({ include: ['*.html', 'css/**'] }) });
    expect(filter.wanted('/src/app/index.html')).toBe(true);
    expect(filter.wanted('/src/app/css/site.css')).toBe(true);
    expect(filter.wanted('/src/app/app.js')).toBe(false);
    expect(filter.ignored('/src/app/css')).toBe(false);
  });
});

describe('path escape refusal', () => {
  it('maps a file under the watched path to the same relative path under the target', () => {
    expect(containerPath(rule(), '/src/app/lib/a.js')).toBe('/app/lib/a.js');
    expect(containerPath(rule({ path: '/src/app/a.js', target: '/srv/a.js' }), '/src/app/a.js')).toBe('/srv/a.js');
  });

  it('refuses a file outside the watched path', () => {
    expect(() => containerPath(rule(), '/src/other/a.js')).toThrow(PathEscapeError);
    expect(() => containerPath(rule(), '/src/app/../etc/passwd')).toThrow(/outside the watched path/);
  });

  it('refuses a rule without a target', () => {
    expect(() => containerPath(rule({ target: undefined as unknown as string }), '/src/app/a.js')).toThrow(/no target/);
  });

  it('reports refused paths in the plan instead of syncing them', () => {
    const noTarget = rule({ target: undefined as unknown as string });
    const plan = planRuleSync(noTarget, [change('/src/app/a.js'), change('/src/elsewhere/b.js')], ruleFilter({ rule: noTarget }), () => true);
    expect(plan.copies).toEqual([]);
    expect(plan.refused).toEqual([{ path: '/src/app/a.js', reason: expect.stringMatching(/no target/) }]);
  });
});

describe('planRuleSync', () => {
  const filter = ruleFilter({ rule: rule() });
  it('copies existing files, deletes gone ones, the last event of a path wins', () => {
    const exists = (p: string): boolean => !p.endsWith('gone.js');
    const plan = planRuleSync(
      rule(),
      [change('/src/app/a.js', 'add'), change('/src/app/gone.js', 'add'), change('/src/app/gone.js', 'unlink'), change('/src/app/a.js'), change('/src/app/.a.js.swp'), change('/src/app/old', 'unlinkDir'), change('/src/app/new', 'addDir')],
      filter,
      (p) => exists(p) && !p.endsWith('/old'),
    );
    expect(plan.copies).toEqual([{ host: '/src/app/a.js', container: '/app/a.js' }]);
    expect(plan.deletes).toEqual(['/app/gone.js', '/app/old']);
    expect(plan.refused).toEqual([]);
  });

  it('an unlink followed by a re-create (editor replace) is a copy, not a delete', () => {
    const plan = planRuleSync(rule(), [change('/src/app/a.js', 'unlink')], filter, () => true);
    expect(plan.deletes).toEqual([]);
    expect(plan.copies).toEqual([{ host: '/src/app/a.js', container: '/app/a.js' }]);
  });
});

describe('initial sync and symlinks (temp folder)', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('initial sync lists every wanted file; a symlink leaving the watched path is refused when applied', async () => {
    dir = await mkdtemp(join(tmpdir(), 'stack-watch-sync-'));
    const src = join(dir, 'src');
    await mkdir(join(src, 'lib'), { recursive: true });
    await mkdir(join(src, '.git'));
    await writeFile(join(src, 'index.html'), 'hi');
    await writeFile(join(src, 'lib', 'a.js'), 'a');
    await writeFile(join(src, '.git', 'HEAD'), 'ref');
    await writeFile(join(dir, 'outside.txt'), 'secret');
    await symlink(join(dir, 'outside.txt'), join(src, 'leak.txt'));
    const r = rule({ path: src });
    const plan = await planInitialSync(r, ruleFilter({ rule: r }));
    expect(plan.copies.map((c) => c.container).sort()).toEqual(['/app/index.html', '/app/leak.txt', '/app/lib/a.js']);

    const calls: { path: string; bytes: number }[] = [];
    const engine = {
      putArchive: async (_id: string, path: string, tar: NodeJS.ReadableStream) => {
        let bytes = 0;
        for await (const chunk of tar) bytes += (chunk as Buffer).length;
        calls.push({ path, bytes });
      },
      exec: async () => ({ exitCode: 0, output: '' }),
    };
    const done = await applySyncPlan(engine as never, 'c1', plan, r);
    expect(done.refused.map((x) => x.path)).toEqual([join(src, 'leak.txt')]);
    expect(done.copies.map((c) => c.container).sort()).toEqual(['/app/index.html', '/app/lib/a.js']);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.path).toBe('/');
  });
});
