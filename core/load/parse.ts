// Stage: YAML text -> plain data + SourceMap. Anchors, aliases and `<<` merge keys are resolved
// here; `!reset` / `!override` become markers (markers.ts) for the merge stage. Every YAML
// problem becomes one SpecError with file:line:col and a code frame.
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, YAMLError, type Document, type Node } from 'yaml';
import { SpecError, type SourceLocation, type SpecProblem } from '../errors.js';
import { isMapping, setKey, type Mapping } from './data.js';
import { applyTags, type TagKind } from './markers.js';
import { reuseParse, withoutBom, type ParseCache, type ParsedSpec } from './parse-cache.js';
import { codeFrame, type SourceMap } from './source-map.js';
import { sourceMapOfDocument } from './source-map-yaml.js';

export type { ParsedSpec } from './parse-cache.js';

/** Parses one spec file's text; `file` is the name used in locations (relative to cwd when possible). */
export function parseSpec(text: string, file: string, cache?: ParseCache): ParsedSpec {
  const source = withoutBom(text);
  const cached = reuseParse(source, file, cache);
  if (cached) return cached;
  const parsed = parseFresh(source, file);
  // Stored before the tags turn values into marker objects, which JSON cannot carry.
  cache?.set(source, file, { data: parsed.data, tags: parsed.tags, entries: parsed.sources.entryList() });
  applyTags(parsed.data, parsed.tags);
  return { data: parsed.data, sources: parsed.sources, tagged: parsed.tags.length > 0 };
}

function parseFresh(source: string, file: string): { data: Mapping; tags: { path: (string | number)[]; kind: TagKind }[]; sources: SourceMap } {
  const lineCounter = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(source, { merge: true, uniqueKeys: true, lineCounter, prettyErrors: false });
  } catch (error) {
    throw syntaxError(source, { file, line: 1, col: 1 }, error instanceof Error ? error.message : String(error));
  }
  const first = doc.errors[0];
  if (first) throw yamlError(first, { text: source, file, lc: lineCounter, doc });

  const root = doc.contents as Node | null;
  if (root === null || (isScalar(root) && (root.value === null || root.value === undefined) && !root.tag)) {
    throw new SpecError('SPEC_EMPTY', {
      message: 'the spec file is empty',
      location: { file, line: 1, col: 1 },
      hint: 'a spec needs at least a `services:` mapping, e.g.\n  services:\n    web:\n      image: nginx',
    });
  }
  if (expandedSize(root, doc) > MAX_EXPANDED_NODES) {
    throw syntaxError(source, { file, line: 1, col: 1 }, `invalid YAML: the document nests too deeply or its aliases expand to more than ${MAX_EXPANDED_NODES} values`, 'use fewer nested aliases (this looks like an alias bomb) or flatten the nesting');
  }
  const sources = sourceMapOfDocument(doc, file, lineCounter, source);
  if (!isMap(root)) {
    const found = isSeq(root) ? 'a list' : 'a single value';
    throw new SpecError('SPEC_INVALID', sources.problem([], `the top level of a spec must be a mapping of keys (services:, networks:, ...), found ${found}`, {
      hint: 'start the file with `services:` and indent the services under it',
    }));
  }

  const tags: { path: (string | number)[]; kind: TagKind }[] = [];
  checkKeys(root, [], sources, lineCounter, file, tags);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    // toJS only throws on alias bombs and similar resource limits.
    throw syntaxError(source, { file, line: 1, col: 1 }, error instanceof Error ? error.message : String(error));
  }
  if (!isMapping(data)) throw syntaxError(source, { file, line: 1, col: 1 }, 'the top level of a spec must be a mapping');
  return { data, tags, sources };
}

const MAX_EXPANDED_NODES = 200_000;

/** How many nodes the tree has once aliases are expanded (memoised, so alias bombs cost nothing to measure). */
function expandedSize(root: Node, doc: Document): number {
  const memo = new Map<unknown, number>();
  const size = (node: unknown, depth: number): number => {
    if (depth > 500) return Infinity;
    if (node === null || typeof node !== 'object') return 1;
    const known = memo.get(node);
    if (known !== undefined) return known;
    memo.set(node, Infinity); // an alias cycle counts as too big
    let total = 1;
    if (isAlias(node)) total = size(node.resolve(doc), depth + 1);
    else if (isMap(node)) for (const pair of node.items) total += size(pair.key, depth + 1) + size(pair.value, depth + 1);
    else if (isSeq(node)) for (const item of node.items) total += size(item, depth + 1);
    memo.set(node, total);
    return total;
  };
  return size(root, 0);
}

/** Keys are strings (numbers and booleans converted, null and collections rejected); also collects tag positions. */
function checkKeys(node: unknown, path: (string | number)[], sources: SourceMap, lc: LineCounter, file: string, tags: { path: (string | number)[]; kind: TagKind }[]): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = pair.key as Node | null;
      if (isScalar(key) && (key.value === '<<' || (typeof key.value === 'symbol' && key.value.description === '<<'))) continue;
      // Numbers and booleans as keys become strings, as in compose-go (`true:` is "true");
      // a null or collection key has no sensible string, so it is an error.
      const convertible = isScalar(key) && (typeof key.value === 'string' || typeof key.value === 'number' || typeof key.value === 'boolean');
      if (!convertible) {
        const range = key?.range ?? node.range;
        const start = range ? lc.linePos(range[0]) : { file, line: 1, col: 1 };
        const location: SourceLocation = { file, line: start.line, col: start.col };
        const shown = isScalar(key) ? (key.value === null || key.value === undefined ? 'an empty (null) key' : String(key.value)) : 'a list or mapping';
        const problem: SpecProblem = {
          message: `keys must be strings, found ${shown}`,
          path,
          location,
          hint: isScalar(key) ? 'write the key as text, quoted if needed: "~": or "null":' : 'a key must be a plain name, not a list or mapping',
        };
        const frame = sources.frame(location);
        if (frame) problem.frame = frame;
        throw new SpecError('YAML_SYNTAX', problem);
      }
      const childPath = [...path, String(key!.value)];
      noteTag(pair.value as Node | null, childPath, tags);
      checkKeys(pair.value, childPath, sources, lc, file, tags);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      noteTag(item as Node | null, [...path, index], tags);
      checkKeys(item, [...path, index], sources, lc, file, tags);
    });
  }
}

function noteTag(node: Node | null, path: (string | number)[], tags: { path: (string | number)[]; kind: TagKind }[]): void {
  const tag = node && 'tag' in node ? node.tag : undefined;
  if (tag === '!reset') tags.push({ path, kind: 'reset' });
  else if (tag === '!override') tags.push({ path, kind: 'override' });
}

const HINTS: Partial<Record<string, string>> = {
  DUPLICATE_KEY: 'a key may appear only once in a mapping: remove one of them or merge their values',
  TAB_AS_INDENT: 'YAML indentation must use spaces: replace the tab(s) at the start of this line with spaces',
  MULTIPLE_DOCS: 'a spec file holds one YAML document: split the `---` documents into files and pass each with -f',
  MISSING_CHAR: 'a quote or bracket opened here is never closed',
  BAD_INDENT: 'check the indentation of this line against the lines above it',
};

function yamlError(error: YAMLError, where: { text: string; file: string; lc: LineCounter; doc: Document }): SpecError {
  const { text, file, lc } = where;
  const start = lc.linePos(error.pos[0]);
  const location: SourceLocation = { file, line: start.line, col: start.col };
  let message = error.message.replace(/^./, (c) => c.toLowerCase());
  if (error.code === 'DUPLICATE_KEY') {
    const lineText = text.split(/\r?\n/)[start.line - 1] ?? '';
    const match = /^\s*("[^"]*"|'[^']*'|[^:#{}[\],]+?)\s*:/.exec(lineText.slice(start.col - 1));
    message = match ? `duplicate key ${match[1]!.replace(/^["']|["']$/g, '')}` : 'duplicate key in a mapping';
    const firstLine = firstDefinition(where.doc, error.pos[0], lc);
    if (firstLine !== undefined) message += ` (first defined on line ${firstLine})`;
  } else if (error.code === 'TAB_AS_INDENT') {
    message = 'tabs are not allowed as indentation';
  } else if (error.code === 'MULTIPLE_DOCS') {
    message = 'the file contains several YAML documents';
  }
  return syntaxError(text, location, `invalid YAML: ${message}`, HINTS[error.code] ?? 'check the indentation, quotes and colons around this line');
}

/** The line of the earlier key that the duplicate key at `offset` repeats. */
function firstDefinition(doc: Document, offset: number, lc: LineCounter): number | undefined {
  let line: number | undefined;
  visit(doc, {
    Map(_, map) {
      const index = map.items.findIndex((pair) => (pair.key as Node | null)?.range?.[0] === offset);
      if (index < 0) return undefined;
      const key = map.items[index]!.key;
      const value = isScalar(key) ? key.value : undefined;
      const earlier = map.items.slice(0, index).find((pair) => isScalar(pair.key) && pair.key.value === value);
      const start = (earlier?.key as Node | undefined)?.range?.[0];
      if (start !== undefined) line = lc.linePos(start).line;
      return visit.BREAK;
    },
  });
  return line;
}

function syntaxError(text: string, location: SourceLocation, message: string, hint?: string): SpecError {
  const problem: SpecProblem = { message, location, frame: codeFrame(text, location) };
  if (hint) problem.hint = hint;
  return new SpecError('YAML_SYNTAX', problem);
}
