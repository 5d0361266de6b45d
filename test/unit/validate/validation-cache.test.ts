import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { SpecError } from '../../../core/errors.js';
import { validateSpecCached, validationKey } from '../../../core/validate/validation-cache.js';
import { specFromYaml } from './support.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stack-valid-cache-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const VALID = 'services:\n  web:\n    image: nginx\n';
const INVALID = 'services:\n  web:\n    image: nginx\n    imagee: x\n';

describe('validateSpecCached', () => {
  test('remembers an accepted spec, and never a rejected one', async () => {
    await validateSpecCached(specFromYaml(VALID), { cacheDirectory: dir, validatorId: 'v1' });
    expect(await readdir(dir)).toHaveLength(1);
    await expect(validateSpecCached(specFromYaml(INVALID), { cacheDirectory: dir, validatorId: 'v1' })).rejects.toBeInstanceOf(SpecError);
    expect(await readdir(dir)).toHaveLength(1);
  });

  test('a remembered spec is not validated again: its marker is all that is consulted', async () => {
    // Plant the marker of a spec that would fail: a hit must accept it without running the validator.
    const invalid = specFromYaml(INVALID);
    await writeFile(join(dir, validationKey(invalid, 'v1')), '');
    await expect(validateSpecCached(invalid, { cacheDirectory: dir, validatorId: 'v1' })).resolves.toBeUndefined();
    await expect(validateSpecCached(invalid, { cacheDirectory: dir, validatorId: 'v2' })).rejects.toBeInstanceOf(SpecError);
  });

  test('the key covers the validator, the interpolation flag and values JSON cannot tell apart', async () => {
    const keys = async (yaml: string, options: { validatorId: string; interpolated?: boolean }): Promise<string[]> => {
      const where = await mkdtemp(join(dir, 'k-'));
      await validateSpecCached(specFromYaml(yaml), { cacheDirectory: where, ...options }).catch(() => undefined);
      return readdir(where);
    };
    const base = await keys(VALID, { validatorId: 'v1' });
    expect(await keys(VALID, { validatorId: 'v1' })).toEqual(base);
    expect(await keys(VALID, { validatorId: 'v2' })).not.toEqual(base);
    expect(await keys(VALID, { validatorId: 'v1', interpolated: false })).not.toEqual(base);
    const withNull = await keys('services:\n  web:\n    image: nginx\nx-limit: null\n', { validatorId: 'v1' });
    const withInf = await keys('services:\n  web:\n    image: nginx\nx-limit: .inf\n', { validatorId: 'v1' });
    expect(withNull).toHaveLength(1);
    expect(withInf).toHaveLength(1);
    expect(withInf).not.toEqual(withNull);
  });

  test('without a directory or a validator identity nothing is stored and every spec is validated', async () => {
    await expect(validateSpecCached(specFromYaml(INVALID), { cacheDirectory: dir })).rejects.toBeInstanceOf(SpecError);
    await validateSpecCached(specFromYaml(VALID), { validatorId: 'v1' });
    expect(await readdir(dir)).toEqual([]);
  });
});
