// The SourceMap of a freshly parsed YAML document: every key path with the file positions of its
// key and value. Kept apart from source-map.ts so that a spec served from the parse cache never
// loads the YAML library.
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { SourceLocation } from '../errors.js';
import { SourceMap, type SourceEntry } from './source-map.js';

/** Builds the map of one parsed YAML file. */
export function sourceMapOfDocument(doc: Document, file: string, lineCounter: LineCounter, text: string): SourceMap {
  const map = SourceMap.fromEntries(file, text, []);
  const locate = (offset: number, end?: number): SourceLocation => {
    const start = lineCounter.linePos(offset);
    const loc: SourceLocation = { file, line: start.line, col: start.col };
    if (end !== undefined) {
      const stop = lineCounter.linePos(end);
      loc.endLine = stop.line;
      loc.endCol = stop.col;
    }
    return loc;
  };
  const walk = (node: unknown, path: (string | number)[], onlyIfAbsent: boolean): void => {
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (target) walk(target, path, true);
      return;
    }
    if (isMap(node)) {
      const mergeSources: unknown[] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as Node | null;
        // yaml >= 2.7 gives the `<<` merge key as a Symbol('<<').
        const raw = isScalar(keyNode) ? keyNode.value : keyNode;
        const key = typeof raw === 'symbol' ? (raw.description ?? '') : String(raw);
        if (key === '<<') {
          mergeSources.push(pair.value);
          continue;
        }
        const childPath = [...path, key];
        const valueNode = pair.value as Node | null;
        const keyRange = keyNode?.range;
        const valueRange = valueNode?.range ?? keyRange;
        if (valueRange) {
          const entry: SourceEntry = { value: locate(valueRange[0], valueRange[1]) };
          if (keyRange) entry.key = locate(keyRange[0], keyRange[1]);
          map.record(childPath, entry, onlyIfAbsent);
        }
        walk(valueNode, childPath, onlyIfAbsent);
      }
      // `<<: *base` keys come after explicit ones so that explicit keys keep their own place.
      for (const source of mergeSources) {
        const targets = isSeq(source) ? source.items : [source];
        for (const target of targets) walk(target, path, true);
      }
      return;
    }
    if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const range = (item as Node | null)?.range;
        if (range) map.record([...path, index], { value: locate(range[0], range[1]) }, onlyIfAbsent);
        walk(item, [...path, index], onlyIfAbsent);
      });
    }
  };
  const root = doc.contents as Node | null;
  if (root?.range) map.record([], { value: locate(root.range[0], root.range[1]) }, false);
  walk(root, [], false);
  return map;
}
