import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../core/errors.js';
import { shouldUseColor } from '../../../cli/render/color.js';
import { createProgressRenderer, isCI, resolveProgressMode } from '../../../cli/render/progress.js';
import { JsonProgressRenderer } from '../../../cli/render/progress-json.js';
import { PlainProgressRenderer } from '../../../cli/render/progress-plain.js';
import { QuietProgressRenderer } from '../../../cli/render/progress-quiet.js';
import { TtyProgressRenderer } from '../../../cli/render/progress-tty.js';
import { FakeStream, UP_EVENTS } from './recorded-events.js';

describe('resolveProgressMode', () => {
  it('picks tty only on an interactive terminal outside CI', () => {
    expect(resolveProgressMode({ requested: 'auto', isTTY: true, env: {} })).toBe('tty');
    expect(resolveProgressMode({ requested: 'auto', isTTY: false, env: {} })).toBe('plain');
    expect(resolveProgressMode({ requested: 'auto', isTTY: true, env: { CI: 'true' } })).toBe('plain');
    expect(resolveProgressMode({ requested: 'auto', isTTY: true, env: { GITHUB_ACTIONS: 'true' } })).toBe('plain');
    expect(resolveProgressMode({ requested: 'auto', isTTY: true, env: { TERM: 'dumb' } })).toBe('plain');
  });

  it('honours an explicit mode whatever the terminal', () => {
    expect(resolveProgressMode({ requested: 'tty', isTTY: false, env: { CI: '1' } })).toBe('tty');
    expect(resolveProgressMode({ requested: 'json', isTTY: true, env: {} })).toBe('json');
    expect(resolveProgressMode({ requested: 'quiet', isTTY: true, env: {} })).toBe('quiet');
  });

  it('does not read CI=false or CI=0 as CI', () => {
    expect(isCI({ CI: 'false' })).toBe(false);
    expect(isCI({ CI: '0' })).toBe(false);
    expect(isCI({})).toBe(false);
  });
});

describe('shouldUseColor', () => {
  it('lets the explicit flag win, then NO_COLOR, then FORCE_COLOR, then the TTY', () => {
    expect(shouldUseColor({ flag: true, env: { NO_COLOR: '1' }, isTTY: false })).toBe(true);
    expect(shouldUseColor({ flag: false, env: { FORCE_COLOR: '1' }, isTTY: true })).toBe(false);
    expect(shouldUseColor({ env: { NO_COLOR: '1' }, isTTY: true })).toBe(false);
    expect(shouldUseColor({ env: { FORCE_COLOR: '1' }, isTTY: false })).toBe(true);
    expect(shouldUseColor({ env: { FORCE_COLOR: '0' }, isTTY: true })).toBe(false);
    expect(shouldUseColor({ env: {}, isTTY: true })).toBe(true);
    expect(shouldUseColor({ env: {}, isTTY: false })).toBe(false);
  });
});

describe('createProgressRenderer', () => {
  it('builds the renderer for each mode', async () => {
    const make = (mode: string, isTTY: boolean, env: NodeJS.ProcessEnv = {}) => createProgressRenderer({ mode, stream: new FakeStream(isTTY), env });
    const tty = await make('auto', true);
    expect(tty).toBeInstanceOf(TtyProgressRenderer);
    await tty.close();
    expect(await make('auto', false)).toBeInstanceOf(PlainProgressRenderer);
    expect(await make('auto', true, { CI: 'true' })).toBeInstanceOf(PlainProgressRenderer);
    expect(await createProgressRenderer({ mode: 'auto', stream: new FakeStream(true, 0), env: {} })).toBeInstanceOf(PlainProgressRenderer);
    expect(await make('json', true)).toBeInstanceOf(JsonProgressRenderer);
    expect(await make('quiet', true)).toBeInstanceOf(QuietProgressRenderer);
  });

  it('writes plain lines without ANSI to a non-TTY stream', async () => {
    const stream = new FakeStream(false);
    const renderer = await createProgressRenderer({ mode: 'auto', stream, env: {} });
    for (const event of UP_EVENTS) renderer.emit(event);
    await renderer.close();
    expect(stream.text).toContain(' Container myapp-web-1  Started\n');
    expect(stream.text).not.toContain('\u001b');
  });

  it('rejects an unknown mode with a usage error that lists the valid ones', async () => {
    let caught: unknown;
    try {
      await createProgressRenderer({ mode: 'fancy', stream: new FakeStream(), env: {} });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as UsageError).hint).toContain('auto, tty, plain, json, quiet');
  });
});
