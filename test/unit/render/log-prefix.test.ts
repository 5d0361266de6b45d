import { describe, expect, it } from 'vitest';
import { LOG_PALETTE, LogPrinter, logDisplayName } from '../../../cli/render/log-prefix.js';
import { FakeStream } from './recorded-events.js';

const out = (line: string) => ({ stream: 'stdout' as const, text: line });

describe('LogPrinter prefixes', () => {
  it('pads names to the longest known one and ends the prefix with " | "', () => {
    const stream = new FakeStream();
    const printer = new LogPrinter({ stream, color: false, names: ['web-1', 'database-1'] });
    printer.line('web-1', out('hello'));
    printer.line('database-1', out('ready'));
    expect(stream.text).toBe('web-1      | hello\ndatabase-1 | ready\n');
  });

  it('widens the padding when a longer name shows up later', () => {
    const stream = new FakeStream();
    const printer = new LogPrinter({ stream, color: false });
    printer.line('db-1', out('a'));
    printer.line('worker-1', out('b'));
    printer.line('db-1', out('c'));
    expect(stream.text).toBe('db-1 | a\nworker-1 | b\ndb-1     | c\n');
  });

  it('prints bare lines with --no-log-prefix', () => {
    const stream = new FakeStream();
    const printer = new LogPrinter({ stream, color: true, prefix: false, names: ['web-1'] });
    printer.line('web-1', out('hello'));
    expect(stream.text).toBe('hello\n');
  });

  it('puts the engine timestamp after the prefix with --timestamps, and only then', () => {
    const stream = new FakeStream();
    const withStamps = new LogPrinter({ stream, color: false, timestamps: true, names: ['web-1'] });
    withStamps.line('web-1', { stream: 'stdout', text: 'hi', timestamp: '2026-11-23T12:00:00.000000000Z' });
    const without = new LogPrinter({ stream, color: false, names: ['web-1'] });
    without.line('web-1', { stream: 'stdout', text: 'hi', timestamp: '2026-11-23T12:00:00.000000000Z' });
    expect(stream.text).toBe('web-1 | 2026-11-23T12:00:00.000000000Z hi\nweb-1 | hi\n');
  });
});

describe('LogPrinter colours', () => {
  it("cycles Compose's palette in order of first appearance and keeps each name's colour", () => {
    const printer = new LogPrinter({ stream: new FakeStream(), color: true });
    const names = Array.from({ length: 12 }, (_, i) => `svc-${i}`);
    const assigned = names.map((n) => printer.colorFor(n));
    expect(assigned.slice(0, 10)).toEqual([...LOG_PALETTE]);
    expect(assigned[10]).toBe('cyan');
    expect(LOG_PALETTE.slice(0, 5)).toEqual(['cyan', 'yellow', 'green', 'magenta', 'blue']);
    expect(printer.colorFor('svc-3')).toBe('magenta');
  });

  it('colours the whole prefix, and writes no escapes with colour off', () => {
    const colored = new FakeStream();
    new LogPrinter({ stream: colored, color: true, names: ['web-1', 'db-1'] }).line('db-1', out('x'));
    expect(colored.text).toBe('\u001b[33mdb-1  | \u001b[39mx\n');
    const plain = new FakeStream();
    new LogPrinter({ stream: plain, color: false, names: ['web-1', 'db-1'] }).line('db-1', out('x'));
    expect(plain.text).toBe('db-1  | x\n');
  });
});

describe('LogPrinter interleaving', () => {
  it('writes each line in a single write call, in arrival order across containers', () => {
    const stream = new FakeStream();
    const printer = new LogPrinter({ stream, color: false, names: ['a-1', 'b-1'] });
    printer.line('a-1', out('one'));
    printer.line('b-1', out('two'));
    printer.line('a-1', out('three'));
    expect(stream.chunks).toEqual(['a-1 | one\n', 'b-1 | two\n', 'a-1 | three\n']);
  });

  it('joins partial chunks per container so lines never tear, whatever the interleaving', () => {
    const stream = new FakeStream();
    const printer = new LogPrinter({ stream, color: false, names: ['a-1', 'b-1'] });
    printer.chunk('a-1', 'hel');
    printer.chunk('b-1', 'wor');
    printer.chunk('a-1', 'lo\nsec');
    printer.chunk('b-1', 'ld\r\n');
    printer.chunk('a-1', 'ond\n');
    printer.chunk('b-1', 'tail without newline');
    printer.flush();
    expect(stream.chunks).toEqual(['a-1 | hello\n', 'b-1 | world\n', 'a-1 | second\n', 'b-1 | tail without newline\n']);
    for (const chunk of stream.chunks) expect(chunk.split('\n')).toHaveLength(2);
  });

  it('flushes one container without touching the others', () => {
    const stream = new FakeStream();
    const printer = new LogPrinter({ stream, color: false, names: ['a-1', 'b-1'] });
    printer.chunk('a-1', 'pending-a');
    printer.chunk('b-1', 'pending-b');
    printer.flush('a-1');
    expect(stream.text).toBe('a-1 | pending-a\n');
    printer.flush();
    expect(stream.text).toBe('a-1 | pending-a\nb-1 | pending-b\n');
  });

  it('keeps many random interleavings of split lines whole', () => {
    const names = ['a-1', 'b-1', 'c-1'];
    const stream = new FakeStream();
    const printer = new LogPrinter({ stream, color: false, names });
    const expected: string[] = [];
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const rest = new Map(names.map((n) => [n, ''] as [string, string]));
    for (let i = 0; i < 300; i += 1) {
      const name = names[rand(3)]!;
      const text = `${name}:line-${i}\n`;
      expected.push(`${name} | ${name}:line-${i}`);
      rest.set(name, rest.get(name)! + text);
      // Send a random prefix of this container's unsent text.
      const pending = rest.get(name)!;
      const cut = rand(pending.length + 1);
      printer.chunk(name, pending.slice(0, cut));
      rest.set(name, pending.slice(cut));
    }
    for (const name of names) printer.chunk(name, rest.get(name)!);
    const lines = stream.text.trimEnd().split('\n');
    expect(lines).toHaveLength(expected.length);
    // Within one container the order is exactly its own output order.
    for (const name of names) {
      expect(lines.filter((l) => l.startsWith(name))).toEqual(expected.filter((l) => l.startsWith(name)));
    }
    for (const chunk of stream.chunks) expect(chunk).toMatch(/^[abc]-1 \| [abc]-1:line-\d+\n$/);
  });
});

describe('logDisplayName', () => {
  it('uses service-number from Compose labels and falls back to the container name', () => {
    const labels = { 'com.docker.compose.service': 'web', 'com.docker.compose.container-number': '2' };
    expect(logDisplayName({ name: 'myapp-web-2', labels })).toBe('web-2');
    expect(logDisplayName({ name: 'plain', labels: {} })).toBe('plain');
    expect(logDisplayName({ name: 'myapp-web-run-abc', labels: { ...labels, 'com.docker.compose.oneoff': 'True' } })).toBe('myapp-web-run-abc');
  });
});
