// Remembers which merged specs passed validation, so that the validator (a 550 kB compiled
// module) is neither loaded nor run again for a spec it already accepted. Validation is a pure
// function of the merged data, the interpolation flag and the validator itself, so those three
// make the key; only successes are stored (a failing spec is validated again, to report it).
// The cache is off unless a directory is given and the build stamped the validator's identity.
import { sha256Hex } from '../digests.js';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { maybePrune } from '../cache-pruning.js';
import type { LoadedSpec } from '../load/types.js';
import type { ValidateOptions } from './schema.js';

declare const __STACK_VALIDATOR_ID__: string | undefined;

/** A hash of the schema and of core/validate, stamped by scripts/build.mjs; undefined when run from source. */
const VALIDATOR_ID: string | undefined = typeof __STACK_VALIDATOR_ID__ === 'string' ? __STACK_VALIDATOR_ID__ : undefined;

export interface CachedValidationOptions extends ValidateOptions {
  /** Where accepted specs are remembered; absent = always validate. */
  cacheDirectory?: string;
  /** Overrides the build's stamp (tests). */
  validatorId?: string;
}

/** validateSpec (core/validate/index.ts), skipped when this exact spec was accepted before. */
export async function validateSpecCached(spec: LoadedSpec, options: CachedValidationOptions = {}): Promise<void> {
  const validatorId = options.validatorId ?? VALIDATOR_ID;
  const marker = options.cacheDirectory !== undefined && validatorId !== undefined ? path.join(options.cacheDirectory, validationKey(spec, validatorId, options)) : undefined;
  if (marker !== undefined && existsSync(marker)) return;
  const { validateSpec } = await import('./index.js');
  validateSpec(spec, options.interpolated === undefined ? {} : { interpolated: options.interpolated });
  if (marker !== undefined) remember(marker);
}

/** The name of the marker of an accepted spec. */
export function validationKey(spec: Pick<LoadedSpec, 'data'>, validatorId: string, options: ValidateOptions = {}): string {
  return sha256Hex(validatorId, '\0', options.interpolated === false ? 'raw' : 'interpolated', '\0', JSON.stringify(spec.data, exactValues));
}

/** JSON would write `.inf`/`.nan` as null: keep them apart from a real null. */
function exactValues(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? `\u0000number:${value}` : value;
}

function remember(marker: string): void {
  try {
    mkdirSync(path.dirname(marker), { recursive: true });
    writeFileSync(marker, '');
    maybePrune(path.dirname(marker));
  } catch {
    // A read-only or full disk only costs the next run a validation.
  }
}
