// core/digests.ts: sha256 through a lazily loaded node:crypto, and the project cache's fingerprint.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprint, randomHex, sha256Hex } from '../../core/digests.js';

describe('sha256Hex', () => {
  it('is sha256 of the parts in order', () => {
    expect(sha256Hex('a', '\0', 'b')).toBe(createHash('sha256').update('a\0b').digest('hex'));
    expect(sha256Hex(Buffer.from('x'))).toBe(createHash('sha256').update('x').digest('hex'));
  });

  it('randomHex gives as many random bytes as asked, as hex', () => {
    expect(randomHex(10)).toMatch(/^[0-9a-f]{20}$/);
    expect(randomHex(10)).not.toBe(randomHex(10));
  });
});

describe('fingerprint', () => {
  const spec = 'services:\n  web:\n    image: busybox\n    environment:\n      MODE: "one"\n'.repeat(50);

  it('is 128 bits of hex, the same for the same text', () => {
    expect(fingerprint(spec)).toMatch(/^[0-9a-f]{32}$/);
    expect(fingerprint(spec)).toBe(fingerprint(`${spec}`));
  });

  it('tells apart the edits a spec goes through', () => {
    const edits = [
      spec.replace('"one"', '"two"'),
      spec.replace('"one"', '"ONE"'),
      spec.replace('web', 'bew'),
      `${spec} `,
      spec.slice(0, -1),
      spec.replace('image: busybox', 'image: busybux'),
      spec.replace('MODE: "one"\n', 'MODE: "one"\n\n'),
      '',
      '\0',
      spec.replace(/one/g, 'onè'),
    ];
    const prints = new Set([spec, ...edits].map(fingerprint));
    expect(prints.size).toBe(edits.length + 1);
  });

  it('has no collisions among 200,000 short similar texts', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) seen.add(fingerprint(`TAG=${i}\n`));
    expect(seen.size).toBe(200_000);
  });
});
