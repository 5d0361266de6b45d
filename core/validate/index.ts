// Validation stage: load -> VALIDATE -> model. Schema first, then the cross-field rules; all
// problems of both go into one SpecError so that a user fixes a file in one round.
import { SpecError } from '../errors.js';
import type { LoadedSpec } from '../load/types.js';
import { consistencyProblems } from './consistency.js';
import { sortProblems } from './problems.js';
import { schemaProblems, type ValidateOptions } from './schema.js';

export { validateSchema, schemaProblems, compileComposeSchema, type ValidateOptions } from './schema.js';
export { validateConsistency, consistencyProblems } from './consistency.js';

/**
 * Throws one SpecError('SPEC_INVALID') with every schema and consistency problem of the spec.
 * Pass `{interpolated: false}` for a spec loaded with --no-interpolate.
 */
export function validateSpec(spec: LoadedSpec, options: ValidateOptions = {}): void {
  const problems = [...schemaProblems(spec, options), ...consistencyProblems(spec)];
  if (problems.length > 0) throw new SpecError('SPEC_INVALID', sortProblems(problems, spec.sources.files()));
}
