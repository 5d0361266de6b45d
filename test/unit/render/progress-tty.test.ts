import { describe, expect, it } from 'vitest';
import { TtyProgressRenderer } from '../../../cli/render/progress-tty.js';
import { FAILING_EVENTS, FakeStream, T0, UP_EVENTS } from './recorded-events.js';

const ESC = '\u001b';

/** The frame listr2 prints last, after clearing the live area (log-update ends a clear with ESC[G). */
function finalFrame(text: string): string {
  const body = text.replace(`${ESC}[?25h`, '');
  return body.slice(body.lastIndexOf(`${ESC}[G`) + 3);
}

/** Lets listr2's task chain pick up what was emitted (it starts tasks on later ticks). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('tty progress renderer', () => {
  it('ends with one line per resource: networks and volumes first, names padded, final states', async () => {
    const sigintHandlers = process.listenerCount('SIGINT');
    const stream = new FakeStream(true);
    const renderer = new TtyProgressRenderer({ stream, color: false, lazy: true });
    // Containers arrive before the volume here on purpose: order comes from the kind, not arrival.
    renderer.emit(UP_EVENTS[0]!);
    renderer.emit(UP_EVENTS[4]!);
    await settle();
    for (const event of UP_EVENTS) {
      renderer.emit(event);
      await settle();
    }
    await renderer.close();
    expect(finalFrame(stream.text)).toBe(
      [
        '✔ Network myapp_default  Created  0.1s',
        '✔ Volume myapp_data      Created  0.0s',
        '✔ Container myapp-db-1   Healthy  2.1s',
        '✔ Container myapp-web-1  Started  0.3s',
        '',
      ].join('\n'),
    );
    // Ctrl-C belongs to cli/signals.ts: listr2 must not have installed its process.exit handler.
    expect(process.listenerCount('SIGINT')).toBe(sigintHandlers);
  });

  it('shows errors with their detail, warnings with "!" and pulls first', async () => {
    const stream = new FakeStream(true);
    const renderer = new TtyProgressRenderer({ stream, color: false, lazy: true });
    for (const event of [...FAILING_EVENTS].reverse()) renderer.emit(event);
    // Reversed input leaves each resource at its first-recorded state; replay in order to finish them.
    for (const event of FAILING_EVENTS) renderer.emit(event);
    await renderer.close();
    expect(finalFrame(stream.text)).toBe(
      [
        '✔ Image redis:7            Pulled  0.9s',
        '✘ Container myapp-cache-1  Error port 6379 is already allocated  0.1s',
        '! Project myapp            Found orphan containers (myapp-old-1)',
        '',
      ].join('\n'),
    );
  });

  it('marks resources still working at close with "!" rather than a tick', async () => {
    const stream = new FakeStream(true);
    const renderer = new TtyProgressRenderer({ stream, color: false, lazy: true });
    renderer.emit({ kind: 'container', resource: 'myapp-web-1', action: 'Stopping', status: 'working', timestamp: T0 });
    await settle();
    await renderer.close();
    expect(finalFrame(stream.text)).toBe('! Container myapp-web-1  Stopping\n');
  });

  it('never throws on unknown resources, late events, or a second close', async () => {
    const stream = new FakeStream(true);
    const renderer = new TtyProgressRenderer({ stream, color: false, lazy: true });
    // First event for a resource is already its last one.
    expect(() => renderer.emit({ kind: 'volume', resource: 'ghost', action: 'Removed', status: 'done', timestamp: T0 })).not.toThrow();
    await renderer.close();
    expect(() => renderer.emit({ kind: 'container', resource: 'late-1', action: 'Started', status: 'done', timestamp: T0 })).not.toThrow();
    await expect(renderer.close()).resolves.toBeUndefined();
    expect(finalFrame(stream.text)).toBe('✔ Volume ghost  Removed\n');
  });

  it('closes cleanly with no events at all and leaves no SIGINT handler behind', async () => {
    const before = process.listenerCount('SIGINT');
    const stream = new FakeStream(true);
    const renderer = new TtyProgressRenderer({ stream, color: false, lazy: true });
    await expect(renderer.close()).resolves.toBeUndefined();
    expect(stream.text).not.toContain('Container');
    expect(process.listenerCount('SIGINT')).toBe(before);
  });

  it('writes no colour codes with colour off, and colours icons with colour on', async () => {
    const plain = new FakeStream(true);
    const off = new TtyProgressRenderer({ stream: plain, color: false, lazy: true });
    for (const event of UP_EVENTS) off.emit(event);
    await off.close();
    expect(plain.text).not.toMatch(/\u001b\[\d+m/);

    const colored = new FakeStream(true);
    const on = new TtyProgressRenderer({ stream: colored, color: true, lazy: true });
    for (const event of UP_EVENTS) on.emit(event);
    await on.close();
    expect(finalFrame(colored.text)).toContain(`${ESC}[32m✔${ESC}[39m`);
  });

  it('holds back writes to the other stream until the list is done', async () => {
    const stream = new FakeStream(true);
    const renderer = new TtyProgressRenderer({ stream, color: false, lazy: true });
    renderer.emit(UP_EVENTS[0]!);
    // Once a frame is out, listr2 holds the streams.
    await waitFor(() => stream.text.includes('Network myapp_default'));
    (stream as unknown as { write(s: string): void }).write('interleaved\n');
    renderer.emit(UP_EVENTS[2]!);
    await renderer.close();
    const text = stream.text;
    expect(text.indexOf('interleaved')).toBeGreaterThan(text.lastIndexOf('Network myapp_default'));
  });

  it('runs with the spinner timer and still ends when closed', async () => {
    const stream = new FakeStream(true);
    const renderer = new TtyProgressRenderer({ stream, color: false });
    renderer.emit(UP_EVENTS[0]!);
    await new Promise((resolve) => setTimeout(resolve, 250));
    renderer.emit(UP_EVENTS[2]!);
    await renderer.close();
    expect(finalFrame(stream.text)).toBe('✔ Network myapp_default  Created  0.1s\n');
  });
});
