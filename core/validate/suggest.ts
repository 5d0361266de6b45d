// "Did you mean …?": the closest name by edit distance, when it is close enough to be a typo.

/**
 * The closest candidate, if within a typo's reach of `word` (case and `-`/`_` ignored), or
 * one that starts the other (`db_pass` for `db_password`, `frontend` for `front`).
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const normal = normalise(word);
  let best: string | undefined;
  let bestDistance = Infinity;
  let abbreviated: string | undefined;
  for (const candidate of candidates) {
    const other = normalise(candidate);
    const d = distance(normal, other);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
    const prefix = (other.startsWith(normal) && normal.length >= 3) || (normal.startsWith(other) && other.length >= 3);
    if (prefix && (abbreviated === undefined || candidate.length < abbreviated.length)) {
      abbreviated = candidate;
    }
  }
  const tolerance = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  return bestDistance <= tolerance ? best : abbreviated;
}

/** `did you mean "api"?` when a candidate is close enough. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const suggestion = closest(word, candidates);
  return suggestion === undefined ? undefined : `did you mean "${suggestion}"?`;
}

/** `did you mean "api"?`, else the defined names (a few), else how to define one. */
export function nameHint(word: string, defined: readonly string[], whenNoneDefined: string): string {
  const suggestion = didYouMean(word, defined);
  if (suggestion !== undefined) return suggestion;
  if (defined.length === 0) return whenNoneDefined;
  const shown = [...defined].sort((a, b) => distance(word, a) - distance(word, b)).slice(0, 8).sort();
  return `defined: ${shown.join(', ')}${defined.length > shown.length ? ', …' : ''}`;
}

/** Optimal string alignment distance: Levenshtein plus adjacent swaps (`evnironment`). */
export function distance(a: string, b: string): number {
  const cols = b.length + 1;
  const d: number[] = new Array<number>((a.length + 1) * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i <= a.length; i++) d[i * cols] = i;
  for (let j = 0; j <= b.length; j++) d[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, at(i - 2, j - 2) + 1);
      d[i * cols + j] = value;
    }
  }
  return at(a.length, b.length);
}

function normalise(word: string): string {
  return word.toLowerCase().replace(/-/g, '_');
}
