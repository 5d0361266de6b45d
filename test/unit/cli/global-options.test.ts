import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addGlobalOptions, inheritGlobalOptions, readGlobalOptions } from '../../../cli/global-options.js';
import { useColor } from '../../../cli/context.js';

function parse(argv: string[], env: Record<string, string> = {}): ReturnType<typeof readGlobalOptions> & { follow?: boolean; volumes?: boolean } {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const program = new Command('stack').enablePositionalOptions().exitOverride().configureOutput({ writeErr: () => {} });
    addGlobalOptions(program);
    let result: ReturnType<typeof parse> | undefined;
    const logs = program.command('logs').option('-f, --follow').exitOverride();
    const down = program.command('down').option('-v, --volumes').exitOverride();
    for (const command of [logs, down]) {
      inheritGlobalOptions(command);
      command.action((flags: Record<string, unknown>, cmd: Command) => {
        result = { ...readGlobalOptions(program, cmd), ...flags };
      });
    }
    program.parse(argv, { from: 'user' });
    if (!result) throw new Error('no action ran');
    return result;
  } finally {
    process.env = saved;
  }
}

describe('global options', () => {
  it('has defaults', () => {
    expect(parse(['logs'])).toMatchObject({ files: [], envFiles: [], profiles: [], progress: 'auto', ansi: 'auto', dryRun: false, debug: false, parallel: undefined });
  });

  it('collects repeatable flags given before and after the verb, in order', () => {
    const globals = parse(['-f', 'a.yaml', '--profile', 'x', 'down', '--file', 'b.yaml', '--profile', 'y', '--env-file', 'e']);
    expect(globals.files).toEqual(['a.yaml', 'b.yaml']);
    expect(globals.profiles).toEqual(['x', 'y']);
    expect(globals.envFiles).toEqual(['e']);
  });

  it("lets a verb's own short flag shadow the global one, keeping the long global form", () => {
    const globals = parse(['-f', 'a.yaml', 'logs', '-f', '--file', 'b.yaml']);
    expect(globals.follow).toBe(true);
    expect(globals.files).toEqual(['a.yaml', 'b.yaml']);
  });

  it('lets a single-valued flag after the verb win', () => {
    expect(parse(['-p', 'one', 'down', '-v', '-p', 'two'])).toMatchObject({ projectName: 'two', volumes: true });
  });

  it('reads --parallel and COMPOSE_PARALLEL_LIMIT, -1 meaning unlimited', () => {
    expect(parse(['--parallel', '4', 'logs']).parallel).toBe(4);
    expect(parse(['--parallel', '-1', 'logs']).parallel).toBeUndefined();
    expect(parse(['logs'], { COMPOSE_PARALLEL_LIMIT: '2' }).parallel).toBe(2);
    expect(() => parse(['--parallel', '0', 'logs'])).toThrow(/positive integer/);
  });
});

describe('useColor', () => {
  it('follows --ansi, then NO_COLOR, FORCE_COLOR and the terminal', () => {
    expect(useColor('always', { write: () => {} }, { NO_COLOR: '1' })).toBe(true);
    expect(useColor('never', { write: () => {}, isTTY: true }, {})).toBe(false);
    expect(useColor('auto', { write: () => {}, isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColor('auto', { write: () => {} }, { FORCE_COLOR: '1' })).toBe(true);
    expect(useColor('auto', { write: () => {}, isTTY: true }, {})).toBe(true);
    expect(useColor('auto', { write: () => {} }, {})).toBe(false);
  });
});
