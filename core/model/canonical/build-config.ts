// `build`: a string is the context; the context (unless remote) becomes absolute; args list ->
// map; `dockerfile` defaults to "Dockerfile" as compose-go's normaliser sets it.
import type { KeyPath } from '../../errors.js';
import type { BuildConfig } from '../types.js';
import { describe, expectBoolean, expectString, fail, isRecord, type TransformContext } from './context.js';
import { extraHostsAt, nullableMapAt, stringListAt, stringMapAt } from './misc.js';
import { hostPath, isRemoteContext } from './paths.js';
import { fileReferencesAt } from './secrets.js';
import { byteSizeAt } from './units.js';

export function buildAt(ctx: TransformContext, value: unknown, path: KeyPath): BuildConfig {
  if (typeof value === 'string') return withDefaults({ context: contextPath(ctx, value) });
  if (!isRecord(value)) fail(ctx, path, `expected a build context path or a mapping, got ${describe(value)}`);
  const raw = value;
  const context = raw.context === undefined || raw.context === null ? '.' : expectString(ctx, raw.context, [...path, 'context']);
  const build = withDefaults({ context: contextPath(ctx, context) }, raw.dockerfile_inline !== undefined);
  if (raw.dockerfile != null) build.dockerfile = expectString(ctx, raw.dockerfile, [...path, 'dockerfile']);
  if (raw.dockerfile_inline != null) build.dockerfile_inline = expectString(ctx, raw.dockerfile_inline, [...path, 'dockerfile_inline']);
  if (raw.args != null) build.args = nullableMapAt(ctx, raw.args, [...path, 'args']);
  if (raw.target != null) build.target = expectString(ctx, raw.target, [...path, 'target']);
  if (raw.labels != null) build.labels = stringMapAt(ctx, raw.labels, [...path, 'labels']);
  if (raw.cache_from != null) build.cache_from = stringListAt(ctx, raw.cache_from, [...path, 'cache_from']);
  if (raw.cache_to != null) build.cache_to = stringListAt(ctx, raw.cache_to, [...path, 'cache_to']);
  if (raw.network != null) build.network = expectString(ctx, raw.network, [...path, 'network']);
  if (raw.shm_size != null) build.shm_size = byteSizeAt(ctx, raw.shm_size, [...path, 'shm_size']);
  if (raw.extra_hosts != null) build.extra_hosts = extraHostsAt(ctx, raw.extra_hosts, [...path, 'extra_hosts']);
  if (raw.tags != null) build.tags = stringListAt(ctx, raw.tags, [...path, 'tags']);
  if (raw.no_cache != null) build.no_cache = expectBoolean(ctx, raw.no_cache, [...path, 'no_cache']);
  if (raw.pull != null) build.pull = expectBoolean(ctx, raw.pull, [...path, 'pull']);
  if (raw.platforms != null) build.platforms = stringListAt(ctx, raw.platforms, [...path, 'platforms']);
  if (raw.ssh != null) build.ssh = sshAt(ctx, raw.ssh, [...path, 'ssh']);
  if (raw.secrets != null) build.secrets = fileReferencesAt(ctx, 'secrets', raw.secrets, [...path, 'secrets']);
  if (raw.additional_contexts != null) {
    const contexts = stringMapAt(ctx, raw.additional_contexts, [...path, 'additional_contexts']);
    build.additional_contexts = Object.fromEntries(Object.entries(contexts).map(([name, where]) => [name, additionalContext(ctx, where)]));
  }
  return build;
}

function withDefaults(build: Pick<BuildConfig, 'context'>, inline = false): BuildConfig {
  const out: BuildConfig = { context: build.context, args: {}, labels: {}, cache_from: [], extra_hosts: [], tags: [] };
  if (!inline) out.dockerfile = 'Dockerfile';
  return out;
}

function contextPath(ctx: TransformContext, context: string): string {
  return isRemoteContext(context) ? context : hostPath(ctx, context);
}

/** Additional contexts may be paths, images (`docker-image://`), other services (`service:`) or URLs. */
function additionalContext(ctx: TransformContext, where: string): string {
  if (isRemoteContext(where) || /^[a-z][a-z0-9+.-]*:/i.test(where)) return where;
  return hostPath(ctx, where);
}

/** `ssh: default` / `["default", "key=path"]` / `{key: path}` -> `["default", "key=path"]`. */
function sshAt(ctx: TransformContext, value: unknown, path: KeyPath): string[] {
  if (isRecord(value)) return Object.entries(stringMapAt(ctx, value, path)).map(([key, where]) => (where === '' ? key : `${key}=${where}`));
  return stringListAt(ctx, value, path);
}

