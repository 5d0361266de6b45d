// Keeps the link between plain spec data and the file text it came from. The loader works on
// plain JS data (so each stage is a simple data -> data function); this map travels beside it
// so that any later stage (schema, model, graph, planner) can say `file:line:col` for a key path.
import { formatKeyPath, type KeyPath, type SourceLocation, type SpecProblem } from '../errors.js';

/** Where a key path sits: the key itself (for "unknown key") and its value (for "wrong value"). */
export interface SourceEntry {
  key?: SourceLocation;
  value: SourceLocation;
}

export type LocationPart = 'key' | 'value';

const SEP = '\u0000';
const keyOf = (path: KeyPath): string => path.map(String).join(SEP);

export class SourceMap {
  private known: Map<string, SourceEntry> | undefined = new Map();
  /** Entries not decoded yet (see `lazy`): most runs of a cached spec never look one up. */
  private pending: (() => Iterable<readonly [string, SourceEntry]>) | undefined;
  /**
   * Parent key -> child keys, so that subtree operations (merge, extends) cost the subtree, not
   * the whole map. Built on first use: a spec that needs no subtree operation (one file served
   * from the parse cache) never pays for it.
   */
  private index: Map<string, Set<string>> | undefined;
  /** File texts, to print code frames; a stdin spec has no file on disk to read again. */
  private readonly texts = new Map<string, string>();

  /** A map that only knows which file a whole spec came from (e.g. an empty file). */
  static forFile(file: string, text = ''): SourceMap {
    const map = new SourceMap();
    map.texts.set(file, text);
    map.put(keyOf([]), { value: { file, line: 1, col: 1 } });
    return map;
  }

  /** Rebuilds a file's map from `entries()` (the parse cache stores them instead of re-parsing YAML). */
  static fromEntries(file: string, text: string, entries: Iterable<readonly [string, SourceEntry]>): SourceMap {
    const map = new SourceMap();
    map.texts.set(file, text);
    for (const [key, entry] of entries) map.put(key, entry);
    return map;
  }

  /**
   * A map whose entries are decoded on first use: the caches serve maps this way, since decoding
   * thousands of positions costs more than the rest of a cached `config -q`. `texts`: the files
   * the entries point into, for code frames.
   */
  static lazy(texts: Iterable<readonly [string, string]>, entries: () => Iterable<readonly [string, SourceEntry]>): SourceMap {
    const map = new SourceMap();
    for (const [file, text] of texts) map.texts.set(file, text);
    map.known = undefined;
    map.pending = entries;
    return map;
  }

  private get entries(): Map<string, SourceEntry> {
    if (this.known === undefined) {
      const decode = this.pending;
      this.pending = undefined;
      this.known = new Map(decode?.());
    }
    return this.known;
  }

  /** Every entry, as serialisable pairs (see fromEntries). */
  entryList(): [string, SourceEntry][] {
    return [...this.entries];
  }

  record(path: KeyPath, entry: SourceEntry, onlyIfAbsent = false): void {
    const key = keyOf(path);
    if (onlyIfAbsent && this.entries.has(key)) return;
    this.put(key, entry);
  }

  /** The exact entry for a path, if the path was written in a file. */
  entry(path: KeyPath): SourceEntry | undefined {
    return this.entries.get(keyOf(path));
  }

  /** The location of a path, or of its nearest written ancestor (defaults and merges create unwritten paths). */
  locate(path: KeyPath, part: LocationPart = 'value'): SourceLocation | undefined {
    for (let length = path.length; length >= 0; length--) {
      const entry = this.entries.get(keyOf(path.slice(0, length)));
      if (!entry) continue;
      if (length === path.length && part === 'key' && entry.key) return entry.key;
      return entry.value;
    }
    return undefined;
  }

  /** Later sources win: used when a file overrides keys of an earlier one. */
  mergeFrom(other: SourceMap): void {
    for (const [key, entry] of other.entries) this.put(key, entry);
    for (const [file, text] of other.texts) this.texts.set(file, text);
  }

  /**
   * Copies the entries under `from` in `source` to under `to` here, without overwriting
   * (used by `extends` and `include`, where data moves to another key path).
   */
  graft(source: SourceMap, from: KeyPath, to: KeyPath): void {
    const prefix = keyOf(from);
    for (const key of source.subtree(prefix)) {
      const entry = source.entries.get(key)!;
      const rest = prefix === '' ? key : key.slice(prefix.length);
      const target = keyOf(to) + (prefix === '' && rest !== '' && to.length > 0 ? SEP : '') + rest;
      if (!this.entries.has(target)) this.put(target, entry);
    }
    for (const [file, text] of source.texts) this.texts.set(file, text);
  }

  /** An independent copy (merges build a new map from the maps of their inputs). */
  clone(): SourceMap {
    const copy = new SourceMap();
    copy.mergeFrom(this);
    return copy;
  }

  /** Forgets the entries under `path` (and the entry at `path` itself unless `keepSelf`). */
  remove(path: KeyPath, options: { keepSelf?: boolean } = {}): void {
    const prefix = keyOf(path);
    for (const key of [...this.subtree(prefix)]) if (key !== prefix || !options.keepSelf) this.entries.delete(key);
    // Child links are kept for the prefix itself when it stays; the subtree's own links go.
    const drop = (key: string): void => {
      const kids = this.children.get(key);
      if (!kids) return;
      this.children.delete(key);
      for (const kid of kids) drop(kid);
    };
    if (options.keepSelf) {
      for (const kid of this.children.get(prefix) ?? []) drop(kid);
      this.children.delete(prefix);
    } else {
      drop(prefix);
      const parent = parentKey(prefix);
      if (parent !== undefined) this.children.get(parent)?.delete(prefix);
    }
  }

  /**
   * Copies the entries at and under `from` in `source` to under `to` here, overwriting
   * (used when a later file's value replaces an earlier one, or a list item moves).
   */
  copy(source: SourceMap, from: KeyPath, to: KeyPath): void {
    const prefix = keyOf(from);
    const target = keyOf(to);
    for (const key of source.subtree(prefix)) {
      const entry = source.entries.get(key)!;
      let rest: string;
      if (key === prefix) rest = '';
      else if (prefix === '') rest = SEP + key;
      else rest = key.slice(prefix.length);
      const full = target === '' && rest.startsWith(SEP) ? rest.slice(1) : target + rest;
      this.put(full, entry);
    }
    for (const [file, text] of source.texts) this.texts.set(file, text);
  }

  private put(key: string, entry: SourceEntry): void {
    if (this.index !== undefined && !this.entries.has(key)) link(this.index, key);
    this.entries.set(key, entry);
  }

  private get children(): Map<string, Set<string>> {
    if (this.index === undefined) {
      const index = new Map<string, Set<string>>();
      for (const key of this.entries.keys()) link(index, key);
      this.index = index;
    }
    return this.index;
  }

  /** Keys with an entry at and under `prefix`. */
  private *subtree(prefix: string): Generator<string> {
    if (this.entries.has(prefix)) yield prefix;
    for (const kid of this.children.get(prefix) ?? []) yield* this.subtree(kid);
  }

  /** Records a file's text for code frames without any entries (e.g. a .env file). */
  addText(file: string, text: string): void {
    this.texts.set(file, text);
  }

  text(file: string): string | undefined {
    return this.texts.get(file);
  }

  files(): string[] {
    return [...this.texts.keys()];
  }

  /** A problem at a key path, with location and code frame filled in. */
  problem(path: KeyPath, message: string, options: { hint?: string; part?: LocationPart } = {}): SpecProblem {
    const location = this.locate(path, options.part ?? 'value');
    const problem: SpecProblem = { message, path };
    if (options.hint) problem.hint = options.hint;
    if (location) {
      problem.location = location;
      const frame = this.frame(location);
      if (frame) problem.frame = frame;
    }
    return problem;
  }

  /** Two lines of context before the location, the line itself and a caret under the node. */
  frame(location: SourceLocation): string | undefined {
    const text = this.texts.get(location.file);
    if (text === undefined) return undefined;
    return codeFrame(text, location);
  }
}

/** Links `key` into the tree, creating links (not entries) for unwritten ancestors. */
function link(index: Map<string, Set<string>>, key: string): void {
  for (let child = key, parent = parentKey(child); parent !== undefined; child = parent, parent = parentKey(child)) {
    let kids = index.get(parent);
    if (!kids) {
      kids = new Set();
      index.set(parent, kids);
    }
    if (kids.has(child)) break;
    kids.add(child);
  }
}

function parentKey(key: string): string | undefined {
  if (key === '') return undefined;
  const cut = key.lastIndexOf(SEP);
  return cut < 0 ? '' : key.slice(0, cut);
}

export function codeFrame(text: string, location: SourceLocation, context = 2): string {
  const lines = text.split(/\r?\n/);
  const first = Math.max(1, location.line - context);
  const last = Math.min(lines.length, location.line);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const marker = n === location.line ? '>' : ' ';
    out.push(`${marker} ${String(n).padStart(width)} | ${(lines[n - 1] ?? '').replace(/\t/g, '→')}`);
  }
  const lineText = lines[location.line - 1] ?? '';
  const sameLineEnd = location.endLine === location.line && location.endCol !== undefined ? location.endCol : undefined;
  const runLength = Math.max(1, Math.min((sameLineEnd ?? location.col + 1) - location.col, lineText.length - location.col + 1));
  out.push(`  ${' '.repeat(width)} | ${' '.repeat(location.col - 1)}${'^'.repeat(runLength)}`);
  return out.join('\n');
}

/** For messages: the printed path of a key. */
export const printPath = formatKeyPath;
