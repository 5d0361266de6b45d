import { describe, expect, it } from 'vitest';
import { colors } from '../../../cli/render/color.js';
import { formatPlainLine, PlainProgressRenderer } from '../../../cli/render/progress-plain.js';
import { FAILING_EVENTS, FakeStream, T0, UP_EVENTS } from './recorded-events.js';

async function render(events: typeof UP_EVENTS, options: { timestamps?: boolean; elapsed?: boolean } = {}): Promise<string> {
  const stream = new FakeStream();
  const renderer = new PlainProgressRenderer({ stream, color: false, ...options });
  for (const event of events) renderer.emit(event);
  await renderer.close();
  return stream.text;
}

describe('plain progress renderer', () => {
  it('prints one line per event in Compose words', async () => {
    expect(await render(UP_EVENTS)).toBe(
      [
        ' Network myapp_default  Creating',
        ' Volume myapp_data  Creating',
        ' Network myapp_default  Created',
        ' Volume myapp_data  Created',
        ' Container myapp-db-1  Creating',
        ' Container myapp-db-1  Created',
        ' Container myapp-web-1  Creating',
        ' Container myapp-web-1  Created',
        ' Container myapp-db-1  Starting',
        ' Container myapp-db-1  Started',
        ' Container myapp-db-1  Waiting',
        ' Container myapp-db-1  Healthy',
        ' Container myapp-web-1  Starting',
        ' Container myapp-web-1  Started',
        '',
      ].join('\n'),
    );
  });

  it('shows pull progress, error details and warnings', async () => {
    expect(await render(FAILING_EVENTS)).toBe(
      [
        ' Image redis:7  Pulling [1.5MB/3.0MB]',
        ' Image redis:7  Pulled',
        ' Container myapp-cache-1  Starting',
        ' Container myapp-cache-1  Error  port 6379 is already allocated',
        ' Project myapp  Found orphan containers  (myapp-old-1)',
        '',
      ].join('\n'),
    );
  });

  it('prefixes ISO timestamps and appends elapsed times when asked', async () => {
    const out = await render(UP_EVENTS.slice(0, 3), { timestamps: true, elapsed: true });
    expect(out).toBe(
      [
        '2026-11-23T12:00:00.000Z Network myapp_default  Creating',
        '2026-11-23T12:00:00.001Z Volume myapp_data  Creating',
        '2026-11-23T12:00:00.120Z Network myapp_default  Created  0.1s',
        '',
      ].join('\n'),
    );
  });

  it('writes no ANSI escapes with colour off, and colours the action with colour on', () => {
    const event = { kind: 'container' as const, resource: 'a-1', action: 'Started', status: 'done' as const, timestamp: T0 };
    expect(formatPlainLine(event, { colors: colors(false) })).toBe(' Container a-1  Started');
    expect(formatPlainLine(event, { colors: colors(true) })).toBe(' Container a-1  \u001b[32mStarted\u001b[39m');
  });

  it('keeps a multi-line detail on one line', () => {
    const event = { kind: 'container' as const, resource: 'a-1', action: 'Error', status: 'error' as const, detail: 'first\n  second\r\nthird', timestamp: T0 };
    expect(formatPlainLine(event, { colors: colors(false) })).toBe(' Container a-1  Error  first second third');
  });

  it('ignores events after close', async () => {
    const stream = new FakeStream();
    const renderer = new PlainProgressRenderer({ stream, color: false });
    await renderer.close();
    renderer.emit(UP_EVENTS[0]!);
    expect(stream.text).toBe('');
  });
});
