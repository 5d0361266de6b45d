// `stack watch` as a user runs it: the built CLI in a project folder, saves made while it runs,
// and what it prints. The services stay up after Ctrl-C (only `up --watch` attached stops them).
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { STACK_BIN } from './support/cli.js';
import { TEST_IMAGE, eventually, testProject, type TestProject } from './ops-support.js';

let current: TestProject | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  try {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await new Promise((r) => child!.once('close', r));
    }
  } finally {
    child = undefined;
    await current?.cleanup();
    current = undefined;
  }
});

const web = (env: string, key = 'environment'): string => `services:
  web:
    image: ${TEST_IMAGE}
    init: true
    stop_grace_period: 1s
    command: ["sleep", "3600"]
    ${key}: { MODE: ${env} }
`;

function startCli(p: TestProject, args: string[]): { out: () => string; err: () => string; exit: Promise<number> } {
  let out = '';
  let err = '';
  const proc = spawn(process.execPath, [STACK_BIN, '-p', p.name, ...args], { cwd: p.dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  child = proc;
  proc.stdout.setEncoding('utf8').on('data', (t: string) => (out += t));
  proc.stderr.setEncoding('utf8').on('data', (t: string) => (err += t));
  const exit = new Promise<number>((resolve) => proc.once('close', (code) => resolve(code ?? 1)));
  return { out: () => out, err: () => err, exit };
}

describe('stack watch', () => {
  test('brings the project up, reports a broken save with its position, applies the fix, and leaves services running on Ctrl-C', async () => {
    const p = (current = await testProject('watch-cli', { 'compose.yaml': web('one') }));
    const cli = startCli(p, ['--progress', 'plain', 'watch', '--debounce', '100', '-t', '1']);
    await eventually(() => cli.err().includes('Watching 1 spec file(s)'), { timeoutMs: 30_000, description: 'the watch to start' });
    const before = (await p.container('web'))!.id;

    await writeFile(join(p.dir, 'compose.yaml'), web('two', 'enviroment'));
    await eventually(() => cli.err().includes('reload skipped'), { timeoutMs: 15_000, description: 'the broken save to be reported' });
    expect(cli.err()).toMatch(/compose\.yaml:7:5: services\.web\.enviroment: unknown key "enviroment"/);
    expect(cli.err()).toMatch(/hint: did you mean "environment"\?/);
    expect((await p.container('web'))!.id).toBe(before);

    await writeFile(join(p.dir, 'compose.yaml'), web('two'));
    await eventually(() => /reloaded in \d+\.\ds: ~web\n/.test(cli.err()), { timeoutMs: 15_000, description: 'the fix to be applied' });
    expect((await p.container('web'))!.id).not.toBe(before);

    child!.kill('SIGINT');
    expect(await cli.exit).toBe(130);
    expect((await p.container('web'))!.state).toBe('running');
  });

  test('--progress json prints one event per reload', async () => {
    const p = (current = await testProject('watch-json', { 'compose.yaml': web('one') }));
    const cli = startCli(p, ['--progress', 'json', 'watch', '--debounce', '100', '-t', '1']);
    await eventually(() => p.container('web').then((c) => c?.state === 'running'), { timeoutMs: 30_000 });
    // The watchers start after the first up; a save made before that would be missed.
    await new Promise((r) => setTimeout(r, 500));
    await writeFile(join(p.dir, 'compose.yaml'), web('two'));
    const line = await eventually(() => cli.err().split('\n').find((l) => l.includes('"Reloaded"')) ?? false, { timeoutMs: 15_000 });
    const event = JSON.parse(line) as { kind: string; action: string; status: string; detail: string };
    expect(event).toMatchObject({ kind: 'project', resource: p.name, action: 'Reloaded', status: 'done' });
    expect(event.detail).toMatch(/^reloaded in \d+\.\ds: ~web$/);
    expect(cli.err().split('\n').filter((l) => l.includes('"Reloaded"'))).toHaveLength(1);
  });
});

describe('stack up --watch (attached)', () => {
  test('keeps streaming logs across reloads, from recreated and added containers, and stops the services on Ctrl-C', async () => {
    const talker = (name: string, mode: string): string => `  ${name}:
    image: ${TEST_IMAGE}
    init: true
    stop_grace_period: 1s
    command: ["sh", "-c", "echo ${name} says $$MODE; exec sleep 3600"]
    environment: { MODE: ${mode} }
`;
    const p = (current = await testProject('watch-attached', { 'compose.yaml': `services:\n${talker('web', 'one')}` }));
    const cli = startCli(p, ['--progress', 'plain', 'up', '--watch', '-t', '1']);
    await eventually(() => cli.out().includes('web says one'), { timeoutMs: 30_000, description: 'the first output' });
    await eventually(() => cli.err().includes('Watching '), { timeoutMs: 10_000 });

    await writeFile(join(p.dir, 'compose.yaml'), `services:\n${talker('web', 'two')}`);
    await eventually(() => cli.out().includes('web says two'), { timeoutMs: 15_000, description: 'output of the recreated container' });
    await writeFile(join(p.dir, 'compose.yaml'), `services:\n${talker('web', 'two')}${talker('worker', 'three')}`);
    await eventually(() => cli.out().includes('worker says three'), { timeoutMs: 15_000, description: 'output of the added container' });
    expect(cli.out()).toMatch(/web-1\s+\| web says two/);
    expect(cli.err()).toMatch(/reloaded in \d+\.\ds: ~web\n/);
    expect(cli.err()).toMatch(/reloaded in \d+\.\ds: \+worker\n/);

    child!.kill('SIGINT');
    expect(await cli.exit).toBe(130);
    const states = (await p.containers()).map((c) => c.state);
    expect(states).toEqual(['exited', 'exited']);
  });
});
