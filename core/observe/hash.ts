// The config hash: one sha256 per service that changes exactly when the container must be
// replaced. It is stored in `com.docker.compose.config-hash`; equal hash = keep the container.
// Spurious recreates (compose#10259, #11335) and missed ones (#11900) both come from what goes
// into this hash, so each exclusion below says why.
import { sha256Hex } from '../digests.js';
import type { Network, Project, Service, ServiceFileReference, Volume } from '../model/types.js';

/** What the hash needs from the project: the content digests of secrets and configs. */
export type FileDigests = Pick<Project, 'secrets' | 'configs'>;

export interface ServiceConfig {
  /** sha256 hex of `canonical`. */
  hash: string;
  /** Canonical JSON of the hashed fields (compact, sorted keys): stored as `dev.stack.config`. */
  canonical: string;
}

/**
 * Fields that never reach the container, or whose change is applied without replacing it:
 * - name: the service's identity, not its configuration (Compose excludes it too);
 * - scale, deploy.replicas: scaling adds or removes containers, it does not change them;
 * - depends_on: ordering only; dependents are restarted through `depends_on.restart`, not rehashed;
 * - profiles: selection only;
 * - build, pull_policy: how the image is obtained; a new image is detected by its id instead;
 * - extensions (x-*): never interpreted;
 * - env_file: its CONTENT is already in `environment`; hashing the paths would recreate on a
 *   rename of an identical file (Compose hashes the paths; we do not);
 * - develop: watch rules drive the host-side watcher and never reach the engine, so editing a
 *   sync rule must not restart the container (Compose keeps it in and recreates; we do not).
 */
const EXCLUDED_SERVICE_FIELDS = new Set(['name', 'scale', 'depends_on', 'profiles', 'build', 'pull_policy', 'extensions', 'env_file', 'develop']);

/**
 * Top-level fields where an empty list means something (`entrypoint: []` clears the image's
 * entrypoint), so emptiness is kept there.
 */
const KEEP_EMPTY = new Set(['command', 'entrypoint']);

/**
 * Sorted keys and no `undefined`. With `dropEmptyFields`, an empty list or map in a TOP-LEVEL
 * field counts as absent: a model that starts filling a new field with `[]` must not recreate
 * every container of every user (compose#11335). Deeper down an empty value can be data
 * (`networks: {default: {}}` attaches to `default`), so it is kept.
 */
export function canonicalize(value: unknown, dropEmptyFields = false): unknown {
  if (value === null) return null;
  if (Array.isArray(value)) {
    return value.map((item) => {
      const c = canonicalize(item);
      return c === undefined ? null : c;
    });
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) {
      const c = canonicalize((value as Record<string, unknown>)[key]);
      if (c === undefined || (dropEmptyFields && isEmpty(c) && !KEEP_EMPTY.has(key))) continue;
      out[key] = c;
    }
    return out;
  }
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}

function isEmpty(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  return value !== null && typeof value === 'object' && Object.keys(value).length === 0;
}

/** Deterministic JSON: equal values give equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value) ?? null);
}

export { sha256Hex };

function withDigest(ref: ServiceFileReference, digest: string | undefined): Record<string, unknown> {
  return digest === undefined ? { ...ref } : { ...ref, digest };
}

/**
 * The object that is hashed: the service minus the excluded fields, with each secret and config
 * reference carrying the digest of the content it points at, so that editing a secret file or an
 * inline config recreates the services using it (compose#11900). Anyone who can read this label
 * can already `docker exec` into the container and read the secret itself.
 */
export function serviceHashInput(service: Service, digests?: FileDigests): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(service)) {
    if (EXCLUDED_SERVICE_FIELDS.has(key)) continue;
    out[key] = value;
  }
  if (service.deploy) {
    const { replicas: _replicas, ...deploy } = service.deploy;
    out.deploy = deploy;
  }
  out.secrets = service.secrets.map((ref) => withDigest(ref, digests?.secrets[ref.source]?.digest));
  out.configs = service.configs.map((ref) => withDigest(ref, digests?.configs[ref.source]?.digest));
  return out;
}

/**
 * Hashes already known for these very objects: the project cache (core/project-cache.ts) stores
 * each service's, network's and volume's hash beside its model, so that a no-op `up` does not
 * canonicalise and hash them all again. Keyed by object: a copy with a change is hashed afresh.
 */
const knownHashes = new WeakMap<Service | Network | Volume, string>();

/** Records the hash computed earlier for this object (a service's with its project's digests). */
export function rememberConfigHash(resource: Service | Network | Volume, hash: string): void {
  knownHashes.set(resource, hash);
}

/** The hash and the canonical text it was computed from (see LABEL_STACK_CONFIG). */
export function serviceConfig(service: Service, digests?: FileDigests): ServiceConfig {
  // Remembered hashes were computed with the project's digests: without them, compute.
  const known = digests === undefined ? undefined : knownHashes.get(service);
  // The text only matters when a container is created or a change explained: made on demand.
  if (known !== undefined) return { hash: known, get canonical() { return canonicalConfig(service, digests); } };
  const canonical = canonicalConfig(service, digests);
  return { hash: sha256Hex(canonical), canonical };
}

function canonicalConfig(service: Service, digests: FileDigests | undefined): string {
  return JSON.stringify(canonicalize(serviceHashInput(service, digests), true));
}

/** sha256 hex of the service's canonical config; pass the project so secret/config content counts. */
export function serviceConfigHash(service: Service, digests?: FileDigests): string {
  return serviceConfig(service, digests).hash;
}

/** Extensions are dropped; the engine name is kept: a renamed network is another network. */
export function networkConfigHash(network: Network): string {
  const known = knownHashes.get(network);
  if (known !== undefined) return known;
  const { extensions: _extensions, ...rest } = network;
  return sha256Hex(JSON.stringify(canonicalize(rest, true)));
}

export function volumeConfigHash(volume: Volume): string {
  const known = knownHashes.get(volume);
  if (known !== undefined) return known;
  const { extensions: _extensions, ...rest } = volume;
  return sha256Hex(JSON.stringify(canonicalize(rest, true)));
}
