// Checks the merged spec against schema/compose.schema.json and reports every problem at once,
// each at its file:line:col (an unknown key at the key, a wrong value at the value).
import { Ajv, type ValidateFunction } from 'ajv';
import composeSchema from '../../schema/compose.schema.json' with { type: 'json' };
import { SpecError, type SpecProblem } from '../errors.js';
import type { LoadedSpec } from '../load/types.js';
import { explainErrors } from './explain.js';
import { FORMATS } from './formats.js';
import { sortProblems } from './problems.js';

export interface SchemaCompileOptions {
  /** ajv strict mode: rejects unknown keywords and formats (the schema test uses it to catch typos). */
  strict?: boolean;
  /** Accept `${VAR}` / `$VAR` where a format is checked (a spec read with --no-interpolate). */
  uninterpolated?: boolean;
}

export interface ValidateOptions {
  /** false when the spec was loaded without interpolation: `replicas: ${N}` is then fine. Default true. */
  interpolated?: boolean;
}

const VARIABLE = /\$(\{|[A-Za-z_])/;

/** Compiles the Compose schema with stack's custom formats. */
export function compileComposeSchema(options: SchemaCompileOptions = {}): ValidateFunction {
  const ajv = new Ajv({
    allErrors: true,
    allowUnionTypes: true,
    strict: options.strict ?? false,
    // Union types (`[integer, string]` with a format) are how interpolated numbers are accepted.
    strictTypes: false,
    // Compile time is paid by every CLI run: the schema is checked against the meta-schema by
    // the unit tests instead, and ajv's code optimiser costs more than it saves on one run.
    validateSchema: options.strict ?? false,
    code: { optimize: false },
    messages: false,
  });
  for (const [name, format] of Object.entries(FORMATS)) {
    const test = options.uninterpolated ? (value: string) => VARIABLE.test(value) || format.test(value) : format.test;
    ajv.addFormat(name, { type: 'string', validate: test });
  }
  return ajv.compile(composeSchema);
}

// Compiling costs a few hundred milliseconds; a long-lived process (watch) validates many times.
const cached = new Map<boolean, ValidateFunction>();

function validator(interpolated: boolean): ValidateFunction {
  let validate = cached.get(interpolated);
  if (!validate) {
    validate = compileComposeSchema({ uninterpolated: !interpolated });
    cached.set(interpolated, validate);
  }
  return validate;
}

/** Every schema problem of the spec, positioned; empty when the spec is valid. */
export function schemaProblems(spec: LoadedSpec, options: ValidateOptions = {}): SpecProblem[] {
  const validate = validator(options.interpolated ?? true);
  if (validate(spec.data)) return [];
  return explainErrors(validate.errors ?? [], spec.data, composeSchema).map((finding) =>
    spec.sources.problem(finding.path, finding.message, finding.hint === undefined ? { part: finding.part } : { part: finding.part, hint: finding.hint }),
  );
}

/** Throws one SpecError('SPEC_INVALID') listing all schema problems of the spec. */
export function validateSchema(spec: LoadedSpec, options: ValidateOptions = {}): void {
  const problems = sortProblems(schemaProblems(spec, options), spec.sources.files());
  if (problems.length > 0) throw new SpecError('SPEC_INVALID', problems);
}
