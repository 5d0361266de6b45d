// One flat bounded pool for the image verbs (build, pull, push): at most `limit` tasks in flight,
// never a slot taken inside another slot. A task's failure does not stop the others: each task
// reports its own outcome. An aborted signal stops handing out new tasks.

/** Runs `task` over `items`, at most `limit` at once (0 or less = no limit), in the items' order. */
export async function forEachBounded<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  const width = limit <= 0 ? items.length : Math.min(limit, items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !signal?.aborted) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
}
