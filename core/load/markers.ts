import { isMapping, setKey } from './data.js';

// `!reset` and `!override` are YAML tags that change how a value merges with what earlier files
// (or an `extends` base) said. The parser turns tagged values into these markers so that the
// merge stage, which works on plain data, can see them; nothing past the loader ever does.

/** `key: !reset ...`: drop whatever earlier files set for this key. */
export class ResetMarker {
  readonly kind = 'reset';
}

/** `key: !override value`: replace the earlier value instead of merging into it. */
export class OverrideMarker {
  readonly kind = 'override';
  constructor(readonly value: unknown) {}
}

export const isReset = (value: unknown): value is ResetMarker => value instanceof ResetMarker;
export const isOverride = (value: unknown): value is OverrideMarker => value instanceof OverrideMarker;

/** Removes markers that have nothing left to act on: `!reset` drops the key, `!override` unwraps. */
export function stripMarkers(value: unknown): unknown {
  if (isOverride(value)) return stripMarkers(value.value);
  if (Array.isArray(value)) return value.filter((item) => !isReset(item)).map(stripMarkers);
  if (isMapping(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      if (isReset(child)) continue;
      setKey(out, key, stripMarkers(child));
    }
    return out;
  }
  return value;
}

export type TagKind = 'reset' | 'override';

/** Turns the values under `!reset`/`!override` tags (recorded by path while parsing) into markers. */
export function applyTags(data: Record<string, unknown>, tags: readonly { path: (string | number)[]; kind: TagKind }[]): void {
  for (const tag of tags) applyTag(data, tag.path, tag.kind);
}

function applyTag(data: Record<string, unknown>, path: (string | number)[], kind: TagKind): void {
  let parent: unknown = data;
  for (const part of path.slice(0, -1)) {
    if (Array.isArray(parent) && typeof part === 'number') parent = parent[part];
    else if (isMapping(parent) && typeof part === 'string') parent = parent[part];
    else return;
  }
  const last = path[path.length - 1];
  if (last === undefined) return;
  if (Array.isArray(parent) && typeof last === 'number') {
    parent[last] = kind === 'reset' ? new ResetMarker() : new OverrideMarker(parent[last]);
  } else if (isMapping(parent) && typeof last === 'string') {
    setKey(parent, last, kind === 'reset' ? new ResetMarker() : new OverrideMarker(parent[last]));
  }
}

