import { describe, expect, it } from 'vitest';
import { JsonProgressRenderer, progressJsonRecord } from '../../../cli/render/progress-json.js';
import { QuietProgressRenderer } from '../../../cli/render/progress-quiet.js';
import { FAILING_EVENTS, FakeStream, UP_EVENTS } from './recorded-events.js';

describe('json progress renderer', () => {
  it('writes one JSON document per line with a fixed key set', async () => {
    const stream = new FakeStream();
    const renderer = new JsonProgressRenderer({ stream });
    for (const event of UP_EVENTS.slice(0, 3)) renderer.emit(event);
    await renderer.close();
    expect(stream.text).toBe(
      [
        '{"kind":"network","resource":"myapp_default","action":"Creating","status":"working","detail":null,"elapsedMs":null,"timestamp":"2026-11-23T12:00:00.000Z"}',
        '{"kind":"volume","resource":"myapp_data","action":"Creating","status":"working","detail":null,"elapsedMs":null,"timestamp":"2026-11-23T12:00:00.001Z"}',
        '{"kind":"network","resource":"myapp_default","action":"Created","status":"done","detail":null,"elapsedMs":120,"timestamp":"2026-11-23T12:00:00.120Z"}',
        '',
      ].join('\n'),
    );
  });

  it('keeps every line parseable and carries detail and progress', async () => {
    const stream = new FakeStream();
    const renderer = new JsonProgressRenderer({ stream });
    for (const event of FAILING_EVENTS) renderer.emit(event);
    await renderer.close();
    const docs = stream.text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(docs).toHaveLength(FAILING_EVENTS.length);
    for (const doc of docs) expect(Object.keys(doc).slice(0, 7)).toEqual(['kind', 'resource', 'action', 'status', 'detail', 'elapsedMs', 'timestamp']);
    expect(docs[0]).toMatchObject({ progress: { current: 1_500_000, total: 3_000_000 } });
    expect(docs[3]).toMatchObject({ status: 'error', detail: 'port 6379 is already allocated', elapsedMs: 50 });
  });

  it('maps a missing total to null', () => {
    const record = progressJsonRecord({ ...FAILING_EVENTS[0]!, progress: { current: 3 } });
    expect(record.progress).toEqual({ current: 3, total: null });
  });

  it('ignores events after close', async () => {
    const stream = new FakeStream();
    const renderer = new JsonProgressRenderer({ stream });
    await renderer.close();
    renderer.emit(UP_EVENTS[0]!);
    expect(stream.text).toBe('');
  });
});

describe('quiet progress renderer', () => {
  it('accepts events and closes without output', async () => {
    const renderer = new QuietProgressRenderer();
    for (const event of UP_EVENTS) renderer.emit(event);
    await expect(renderer.close()).resolves.toBeUndefined();
  });
});
