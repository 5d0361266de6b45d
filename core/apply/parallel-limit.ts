// Compose's default bound on engine operations in flight, apart from the executor so that
// reading it does not load the executor (a no-op `up` never needs it).
export const DEFAULT_PARALLEL_LIMIT = 64;
