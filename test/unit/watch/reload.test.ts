import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpecError } from '../../../core/errors.js';
import type { Project } from '../../../core/model/types.js';
import { loadProject } from '../../../core/project-loader.js';
import { diffProjects } from '../../../core/watch/diff.js';
import { formatReloadLine, Reloader, summarize, type ReloadReport } from '../../../core/watch/reload.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stack-reload-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(yaml: string): Promise<void> {
  await writeFile(join(dir, 'compose.yaml'), yaml);
}
async function load(): Promise<{ project: Project; warnings: string[] }> {
  const { project, warnings } = await loadProject({ files: [], cwd: dir, projectName: 'reload', envFiles: [], environment: {}, interpolate: true, profiles: [], services: [] });
  return { project, warnings };
}

const BASE = `services:
  web:
    image: busybox
    environment: { MODE: one }
  cron:
    image: busybox
  api:
    image: busybox
    depends_on: [web]
volumes:
  data: {}
`;

describe('summary line', () => {
  it('lists added, changed and removed services with one decimal of seconds', () => {
    expect(formatReloadLine(812, { added: ['worker'], changed: ['web'], removed: ['cron'] })).toBe('reloaded in 0.8s: +worker ~web -cron');
    expect(formatReloadLine(60, { added: [], changed: [], removed: [] })).toBe('reloaded in 0.1s: no change');
    expect(formatReloadLine(1250, { added: ['a', 'b'], changed: [], removed: [] })).toBe('reloaded in 1.3s: +a +b');
  });

  it('counts as changed only the services something was done to', () => {
    const change = { added: ['worker'], removed: ['cron'], changed: ['web'], selection: ['api', 'web', 'worker'], volumesLeft: [] };
    expect(summarize(change, ['worker', 'web', 'cron'])).toEqual({ added: ['worker'], changed: ['web'], removed: ['cron'] });
    expect(summarize(change, ['worker'])).toEqual({ added: ['worker'], changed: [], removed: ['cron'] });
  });
});

describe('diffProjects', () => {
  it('selects added and changed services and their dependants; reports volumes leaving the spec', async () => {
    await write(BASE);
    const before = (await load()).project;
    await write(BASE.replace('MODE: one', 'MODE: two').replace(/  cron:\n    image: busybox\n/, '  worker:\n    image: busybox\n').replace(/volumes:\n  data: \{\}\n/, ''));
    const after = (await load()).project;
    const change = diffProjects(before, after);
    expect(change).toEqual({ added: ['worker'], removed: ['cron'], changed: ['web'], selection: ['api', 'web', 'worker'], volumesLeft: ['reload_data'] });
  });

  it('an identical spec selects nothing', async () => {
    await write(BASE);
    const a = (await load()).project;
    const b = (await load()).project;
    expect(diffProjects(a, b)).toEqual({ added: [], removed: [], changed: [], selection: [], volumesLeft: [] });
  });
});

describe('Reloader', () => {
  it('keeps the last good model on an invalid save, touching nothing, then applies the fix', async () => {
    await write(BASE);
    const initial = (await load()).project;
    const reports: ReloadReport[] = [];
    const applied: string[][] = [];
    const reloader = new Reloader({
      initial,
      load,
      apply: async ({ change }) => {
        applied.push(change.selection);
        return { touched: change.selection, warnings: [] };
      },
      onReport: (r) => reports.push(r),
    });

    await write(BASE.replace('environment: { MODE: one }', 'enviroment: { MODE: two }'));
    await reloader.request([join(dir, 'compose.yaml')]);
    expect(reports).toHaveLength(1);
    const invalid = reports[0]!;
    expect(invalid.kind).toBe('invalid');
    if (invalid.kind !== 'invalid') throw new Error('unreachable');
    expect(invalid.error).toBeInstanceOf(SpecError);
    expect(invalid.error.message).toMatch(/compose\.yaml:\d+:\d+: services\.web\.enviroment/);
    expect(applied).toEqual([]);
    expect(reloader.project).toBe(initial);

    await write(BASE.replace('MODE: one', 'MODE: two'));
    await reloader.request([join(dir, 'compose.yaml')]);
    expect(applied).toEqual([['api', 'web']]);
    const ok = reports[1]!;
    expect(ok.kind).toBe('applied');
    if (ok.kind !== 'applied') throw new Error('unreachable');
    expect(ok.line).toMatch(/^reloaded in \d+\.\ds: ~api ~web$/);
    expect(reloader.project.services.web!.environment.MODE).toBe('two');
  });

  it('runs one reload at a time and merges saves arriving meanwhile into one more reload', async () => {
    await write(BASE);
    const initial = (await load()).project;
    let active = 0;
    let most = 0;
    const modes: (string | null | undefined)[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const reloader = new Reloader({
      initial,
      load,
      apply: async ({ next }) => {
        active++;
        most = Math.max(most, active);
        modes.push(next.services.web!.environment.MODE);
        if (modes.length === 1) await gate;
        active--;
        return { touched: [], warnings: [] };
      },
      onReport: () => undefined,
    });
    await write(BASE.replace('MODE: one', 'MODE: two'));
    const first = reloader.request(['a']);
    await new Promise((r) => setTimeout(r, 50));
    await write(BASE.replace('MODE: one', 'MODE: three'));
    const second = reloader.request(['b']);
    await write(BASE.replace('MODE: one', 'MODE: four'));
    const third = reloader.request(['c']);
    release();
    await Promise.all([first, second, third]);
    expect(most).toBe(1);
    expect(modes).toEqual(['two', 'four']);
    expect(reloader.project.services.web!.environment.MODE).toBe('four');
  });

  it('an apply failure is reported and its services are looked at again on the next save', async () => {
    await write(BASE);
    const initial = (await load()).project;
    const reports: ReloadReport[] = [];
    const selections: string[][] = [];
    let fail = true;
    const reloader = new Reloader({
      initial,
      load,
      apply: async ({ change }) => {
        selections.push(change.selection);
        if (fail) throw new Error('port is already allocated');
        return { touched: change.selection, warnings: [] };
      },
      onReport: (r) => reports.push(r),
    });
    await write(BASE.replace('MODE: one', 'MODE: two'));
    await reloader.request(['x']);
    fail = false;
    await write(BASE.replace('MODE: one', 'MODE: two').replace('  cron:\n    image: busybox\n', '  cron:\n    image: busybox\n    init: true\n'));
    await reloader.request(['x']);
    expect(reports.map((r) => r.kind)).toEqual(['failed', 'applied']);
    expect(selections).toEqual([['api', 'web'], ['api', 'cron', 'web']]);
  });
});
