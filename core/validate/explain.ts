// Turns ajv's raw error list into findings a user can act on: one per place, in user words.
//
// ajv (allErrors) reports every failed keyword of every `oneOf` branch: for `command: [run, 5]`
// it says "must be string" (string branch), "must be null" (null branch) AND the real complaint,
// "command[1] must be string" (list branch). We keep the most specific errors: a branch-level
// "wrong type" (or the oneOf/anyOf summary) is dropped when another branch got further, i.e.
// produced an error deeper in the data or a non-type error at the same place. Type errors that
// survive at one place are merged into "must be a string or a list of strings".
import type { ErrorObject } from 'ajv';
import { formatKeyPath, type KeyPath } from '../errors.js';
import type { LocationPart } from '../load/source-map.js';
import { FORMATS, type JsonType } from './formats.js';
import { closest, distance } from './suggest.js';

/** One problem found by the schema, before it is given a file position. */
export interface Finding {
  path: KeyPath;
  part: LocationPart;
  message: string;
  hint?: string;
}

type SchemaNode = Record<string, unknown>;

const BRANCH_KEYWORDS: ReadonlySet<string> = new Set(['type', 'oneOf', 'anyOf']);

const NAME_HINT = 'names may use letters, digits, ".", "_" and "-"';

/** What maps of names call their keys, for "is not a valid service name", and the rule. */
const NAME_KINDS: Readonly<Record<string, readonly [kind: string, hint: string]>> = {
  services: ['service name', NAME_HINT],
  networks: ['network name', NAME_HINT],
  volumes: ['volume name', NAME_HINT],
  secrets: ['secret name', NAME_HINT],
  configs: ['config name', NAME_HINT],
  depends_on: ['service name', NAME_HINT],
  ulimits: ['limit name', 'limit names are lowercase, e.g. nofile, nproc, memlock'],
};

/** Keys people write from other tools or habit that are no typo: [what they meant, where it applies]. */
const KNOWN_MISTAKES: Readonly<Record<string, readonly [hint: string, sibling: string]>> = {
  env: ['"environment"', 'environment'],
  cmd: ['"command"', 'command'],
  workdir: ['"working_dir"', 'working_dir'],
  replicas: ['deploy.replicas (or scale)', 'deploy'],
  memory: ['"mem_limit" (or deploy.resources.limits.memory)', 'mem_limit'],
  mem: ['"mem_limit"', 'mem_limit'],
};

/**
 * ajv's errors for `data`, explained. `schema` is the root schema the errors' schemaPaths point
 * into (the validator runs without ajv's `verbose` option, which adds to its compile time).
 */
export function explainErrors(errors: readonly ErrorObject[], data: unknown, schema: object): Finding[] {
  const specific = mostSpecific(errors).map((error) => ({
    ...error,
    data: valueAt(data, error.instancePath),
    parentSchema: parentSchemaOf(schema, error.schemaPath),
  }));
  const findings: Finding[] = [];
  const typeErrorsByPlace = new Map<string, ErrorObject[]>();
  for (const error of specific) {
    if (error.keyword === 'type') {
      const list = typeErrorsByPlace.get(error.instancePath) ?? [];
      list.push(error);
      typeErrorsByPlace.set(error.instancePath, list);
    }
  }
  for (const error of specific) {
    if (error.keyword === 'type') continue;
    if ((error.keyword === 'oneOf' || error.keyword === 'anyOf') && typeErrorsByPlace.has(error.instancePath)) continue;
    findings.push(explainOne(error, data));
  }
  for (const [pointer, typeErrors] of typeErrorsByPlace) findings.push(explainType(pointer, typeErrors, data));
  return dedupe(findings);
}

function mostSpecific(errors: readonly ErrorObject[]): ErrorObject[] {
  return errors.filter((error) => {
    if (!BRANCH_KEYWORDS.has(error.keyword)) return true;
    const place = error.instancePath;
    return !errors.some(
      (other) => other.instancePath.startsWith(place + '/') || (other.instancePath === place && !BRANCH_KEYWORDS.has(other.keyword)),
    );
  });
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${formatKeyPath(finding.path)}\u0000${finding.part}\u0000${finding.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function explainOne(error: ErrorObject, data: unknown): Finding {
  const path = toKeyPath(error.instancePath, data);
  const value: unknown = error.data;
  const params = error.params as Record<string, unknown>;
  const schema = (error.parentSchema ?? {}) as SchemaNode;
  switch (error.keyword) {
    case 'additionalProperties':
      return explainUnknownKey(path, String(params['additionalProperty']), schema);
    case 'required':
      return explainMissingKey(path, String(params['missingProperty']), schema);
    case 'enum':
      return {
        path,
        part: 'value',
        message: `${show(value)} is not a valid ${subject(path)} (expected one of: ${listValues(params['allowedValues'])})`,
      };
    case 'format':
      return explainFormat(path, String(params['format']), value);
    case 'minimum':
    case 'exclusiveMinimum':
      return { path, part: 'value', message: `${show(value)} is too small (${error.keyword === 'minimum' ? 'at least' : 'more than'} ${String(params['limit'])})` };
    case 'maximum':
    case 'exclusiveMaximum':
      return { path, part: 'value', message: `${show(value)} is too large (${error.keyword === 'maximum' ? 'at most' : 'less than'} ${String(params['limit'])})` };
    case 'uniqueItems': {
      // ajv names the two indexes without saying which comes first.
      const later = Math.max(Number(params['i']), Number(params['j']));
      const earlier = Math.min(Number(params['i']), Number(params['j']));
      const item: unknown = Array.isArray(value) ? value[later] : undefined;
      return {
        path: [...path, later],
        part: 'value',
        message: `duplicate entry ${show(item)} (already listed at ${formatKeyPath([...path, earlier])})`,
        hint: 'remove one of the two entries',
      };
    }
    case 'minItems':
    case 'minLength':
    case 'minProperties':
      return { path, part: 'value', message: 'must not be empty' };
    case 'pattern':
      return { path, part: 'value', message: `${show(value)} does not match the expected pattern ${String(params['pattern'])}` };
    case 'oneOf':
      return params['passingSchemas']
        ? { path, part: 'value', message: 'is ambiguous: it matches more than one allowed form' }
        : { path, part: 'value', message: `${show(value)} does not match any allowed form` };
    default:
      return { path, part: 'value', message: error.message ?? `is invalid (${error.keyword})` };
  }
}

function explainUnknownKey(objectPath: KeyPath, key: string, schema: SchemaNode): Finding {
  const path = [...objectPath, key];
  const properties = Object.keys(asNode(schema['properties']) ?? {});
  const allowsExtensions = Object.keys(asNode(schema['patternProperties']) ?? {}).includes('^x-');
  if (properties.length === 0) {
    const parent = objectPath[objectPath.length - 1];
    const [kind, hint] = (typeof parent === 'string' ? NAME_KINDS[parent] : undefined) ?? ['name', NAME_HINT];
    return { path, part: 'key', message: `"${key}" is not a valid ${kind}`, hint };
  }
  const finding: Finding = { path, part: 'key', message: `unknown key "${key}"` };
  const known = KNOWN_MISTAKES[key.toLowerCase()];
  const suggestion = closest(key, properties);
  if (known && properties.includes(known[1])) finding.hint = `did you mean ${known[0]}?`;
  else if (suggestion) finding.hint = `did you mean "${suggestion}"?`;
  else finding.hint = allowedKeysHint(key, properties, allowsExtensions);
  return finding;
}

function allowedKeysHint(key: string, properties: string[], allowsExtensions: boolean): string {
  const extensions = allowsExtensions ? '; custom keys must start with "x-"' : '';
  if (properties.length <= 15) return `allowed keys: ${properties.join(', ')}${extensions}`;
  const nearest = [...properties].sort((a, b) => distance(key, a) - distance(key, b)).slice(0, 6);
  return `allowed keys include ${nearest.join(', ')} (${properties.length} in all)${extensions}`;
}

function explainMissingKey(objectPath: KeyPath, key: string, schema: SchemaNode): Finding {
  const property = asNode(asNode(schema['properties'])?.[key]);
  const description = typeof property?.['description'] === 'string' ? property['description'] : undefined;
  const finding: Finding = { path: objectPath, part: 'value', message: `missing required key "${key}"` };
  if (description) finding.hint = `${key}: ${lowerFirst(description)}`;
  return finding;
}

function explainFormat(path: KeyPath, format: string, value: unknown): Finding {
  const spec = FORMATS[format];
  if (!spec) return { path, part: 'value', message: `${show(value)} is not a valid ${format}` };
  const expected = spec.expected === spec.noun ? '' : ` (expected ${spec.expected})`;
  const finding: Finding = { path, part: 'value', message: `${show(value)} is not ${spec.noun}${expected}` };
  if (spec.hint) finding.hint = spec.hint;
  return finding;
}

function explainType(pointer: string, errors: readonly ErrorObject[], data: unknown): Finding {
  const path = toKeyPath(pointer, data);
  const value: unknown = errors[0]?.data;
  const expected = unique(errors.flatMap((error) => describeSchema((error.parentSchema ?? {}) as SchemaNode)));
  const named = expected.length > 1 ? expected.filter((noun) => noun !== 'empty') : expected;
  const words = named.map((noun) => (noun === 'true or false' && named.length > 1 ? 'a boolean' : noun));
  // An empty value has no place of its own in the file (`web:` and nothing): point at its key.
  const part = value === null ? 'key' : 'value';
  const finding: Finding = { path, part, message: `must be ${joinOr(words)}, ${describeActual(value)}` };
  const hint = typeHint(path, words, value) ?? formatHint(errors);
  if (hint) finding.hint = hint;
  return finding;
}

function typeHint(path: KeyPath, expected: readonly string[], value: unknown): string | undefined {
  if (path.length === 0) return 'a Compose file is a mapping of top-level keys: services, networks, volumes, ...';
  if (value === null) return 'the key has no value: give it one or remove the key';
  // YAML 1.1 habits: `restart: no` is a string in YAML 1.2, but `restart: false` is not.
  if (value === false && expected.includes(FORMATS['restart-policy']?.noun ?? '')) return 'to never restart, write restart: "no"';
  if (typeof value === 'string' && expected.some((noun) => noun.startsWith('a list'))) {
    return `write it as a list: one "- ${value}" item per line, or [${JSON.stringify(value)}]`;
  }
  if (typeof value === 'boolean' && expected.includes('a string')) {
    return `quote it if you mean the text: "${String(value)}"`;
  }
  return undefined;
}

function formatHint(errors: readonly ErrorObject[]): string | undefined {
  for (const error of errors) {
    const format = (error.parentSchema as SchemaNode | undefined)?.['format'];
    const hint = typeof format === 'string' ? FORMATS[format]?.hint : undefined;
    if (hint) return hint;
  }
  return undefined;
}

/** The user words for what a (sub)schema accepts: ["a string", "a list of strings"]. */
function describeSchema(schema: SchemaNode): string[] {
  const types = toArray(schema['type']) as JsonType[];
  const format = typeof schema['format'] === 'string' ? FORMATS[schema['format']] : undefined;
  const nouns: string[] = [];
  if (Array.isArray(schema['enum'])) return [`one of ${listValues(schema['enum'])}`];
  if (format) nouns.push(format.noun);
  for (const type of types) {
    if (format?.covers.includes(type)) continue;
    nouns.push(describeType(type, schema));
  }
  return nouns;
}

function describeType(type: JsonType, schema: SchemaNode): string {
  switch (type) {
    case 'object':
      return 'a mapping';
    case 'array': {
      const items = asNode(schema['items']);
      const itemTypes = toArray(items?.['type']);
      return itemTypes.length === 1 && itemTypes[0] === 'string' ? 'a list of strings' : 'a list';
    }
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'integer':
      return 'a whole number';
    case 'boolean':
      return 'true or false';
    case 'null':
      return 'empty';
  }
}

function describeActual(value: unknown): string {
  if (value === null || value === undefined) return 'but it is empty';
  if (Array.isArray(value)) return 'not a list';
  if (typeof value === 'object') return 'not a mapping';
  if (typeof value === 'string') return `not a string (${show(value)})`;
  if (typeof value === 'number') return `not a number (${value})`;
  return `not ${String(value)}`;
}

/** The schema object holding the keyword an error's schemaPath (`#/definitions/x/type`) ends with. */
function parentSchemaOf(root: object, schemaPath: string): SchemaNode {
  let node: unknown = root;
  const segments = schemaPath.replace(/^#\/?/, '').split('/').slice(0, -1);
  for (const raw of segments) {
    if (raw === '') continue;
    const segment = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = Array.isArray(node) ? node[Number(segment)] : asNode(node)?.[segment];
  }
  return asNode(node) ?? {};
}

function valueAt(data: unknown, pointer: string): unknown {
  let node = data;
  for (const segment of pointerSegments(pointer)) {
    if (Array.isArray(node)) node = node[Number(segment)];
    else node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[segment] : undefined;
  }
  return node;
}

function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** ajv's JSON pointer, with array indexes as numbers (the SourceMap records them so). */
export function toKeyPath(pointer: string, data: unknown): KeyPath {
  const path: (string | number)[] = [];
  let node: unknown = data;
  for (const segment of pointerSegments(pointer)) {
    if (Array.isArray(node) && /^\d+$/.test(segment)) {
      const index = Number(segment);
      path.push(index);
      node = node[index];
    } else {
      path.push(segment);
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[segment] : undefined;
    }
  }
  return path;
}

/** The name of what a path holds, for "is not a valid condition". */
function subject(path: KeyPath): string {
  for (let i = path.length - 1; i >= 0; i--) {
    const part = path[i];
    if (typeof part === 'string') return part;
  }
  return 'value';
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function listValues(values: unknown): string {
  return toArray(values).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
}

function joinOr(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? 'something else';
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function toArray(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function asNode(value: unknown): SchemaNode | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as SchemaNode) : undefined;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
