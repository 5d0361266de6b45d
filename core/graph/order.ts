// Cycle finding with the path users need to see: `web -> api -> web`.

/**
 * The first cycle met by a depth-first walk over `names` in the given order, as a closed path
 * (first name repeated at the end), or undefined when the graph is acyclic.
 */
export function findCycle(names: readonly string[], next: (name: string) => readonly string[]): string[] | undefined {
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    state.set(name, 'active');
    stack.push(name);
    for (const to of [...next(name)].sort()) {
      const seen = state.get(to);
      if (seen === 'active') return [...stack.slice(stack.indexOf(to)), to];
      if (seen === undefined) {
        const found = visit(to);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of names) {
    if (state.has(name)) continue;
    const found = visit(name);
    if (found) return found;
  }
  return undefined;
}
