// Top-level `secrets`/`configs` (source file resolved, content digest) and a service's use of
// them (`name` -> {source, target}; secrets live under /run/secrets/).
import { sha256Hex } from '../../digests.js';
import type { KeyPath } from '../../errors.js';
import type { Config, Secret, ServiceFileReference } from '../types.js';
import { describe, expectBoolean, expectNumber, expectRecord, expectString, extensionsOf, fail, isRecord, type TransformContext } from './context.js';
import { stringMapAt } from './misc.js';
import { resourceName } from './networks.js';
import { hostPath } from './paths.js';

export type FileObjectKind = 'secrets' | 'configs';

function sha256(text: string): string {
  return sha256Hex(text);
}

function readSource(ctx: TransformContext, file: string, path: KeyPath, used: boolean): string | undefined {
  try {
    const text = ctx.readFile(file);
    ctx.sourceFiles.add(file);
    return text;
  } catch (error) {
    // A file nobody active uses is not worth failing over (a profile-only secret, say).
    if (!used && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (error as Error).message;
    fail(ctx, path, `${file}: ${reason}`, 'create the file, or point `file:` at an existing one');
  }
}

/** `used`: some active service mounts it, so its source must be readable. */
export function fileObjectAt(ctx: TransformContext, kind: 'secrets', key: string, value: unknown, path: KeyPath, used?: boolean): Secret;
export function fileObjectAt(ctx: TransformContext, kind: 'configs', key: string, value: unknown, path: KeyPath, used?: boolean): Config;
export function fileObjectAt(ctx: TransformContext, kind: FileObjectKind, key: string, value: unknown, path: KeyPath, used = true): Secret | Config {
  const raw = value === null || value === undefined ? {} : expectRecord(ctx, value, path);
  const external = isRecord(raw.external) ? true : raw.external === undefined || raw.external === null ? false : expectBoolean(ctx, raw.external, [...path, 'external']);
  const legacyName = isRecord(raw.external) && typeof raw.external.name === 'string' ? raw.external.name : undefined;
  const out: Config = {
    name: resourceName(ctx.spec.projectName, key, raw.name, external, legacyName),
    external,
    labels: raw.labels === undefined ? {} : stringMapAt(ctx, raw.labels, [...path, 'labels']),
    extensions: extensionsOf(raw),
  };
  const sources = ['file', 'environment', ...(kind === 'configs' ? ['content'] : [])].filter((field) => raw[field] !== undefined && raw[field] !== null);
  if (sources.length > 1) fail(ctx, path, `${kind === 'secrets' ? 'secret' : 'config'} "${key}" sets ${sources.join(' and ')}: choose one source`);
  if (!external && sources.length === 0) {
    fail(ctx, path, `${kind === 'secrets' ? 'secret' : 'config'} "${key}" has no source`, `set \`file:\`, \`environment:\`${kind === 'configs' ? ', `content:`' : ''} or \`external: true\``);
  }
  if (raw.file !== undefined && raw.file !== null) {
    out.file = hostPath(ctx, expectString(ctx, raw.file, [...path, 'file']));
    const content = readSource(ctx, out.file, [...path, 'file'], used);
    if (content !== undefined) out.digest = sha256(content);
  } else if (raw.environment !== undefined && raw.environment !== null) {
    out.environment = expectString(ctx, raw.environment, [...path, 'environment']);
    const content = ctx.environment[out.environment];
    if (content === undefined) {
      ctx.warnings.push(`${kind}.${key}: variable ${out.environment} is not set; the ${kind === 'secrets' ? 'secret' : 'config'} will be empty`);
    }
    out.digest = sha256(content ?? '');
  } else if (kind === 'configs' && raw.content !== undefined && raw.content !== null) {
    out.content = expectString(ctx, raw.content, [...path, 'content']);
    out.digest = sha256(out.content);
  }
  return out;
}

export function fileReferencesAt(ctx: TransformContext, kind: FileObjectKind, value: unknown, path: KeyPath): ServiceFileReference[] {
  if (!Array.isArray(value)) fail(ctx, path, `expected a list of ${kind}, got ${describe(value)}`);
  return value.map((entry, index) => {
    const at = [...path, index];
    if (typeof entry === 'string') return { source: entry, target: defaultTarget(kind, entry) };
    if (!isRecord(entry)) fail(ctx, at, `expected a name or a mapping, got ${describe(entry)}`);
    if (typeof entry.source !== 'string') fail(ctx, at, `a ${kind === 'secrets' ? 'secret' : 'config'} reference needs a \`source\``);
    let target = entry.target === undefined || entry.target === null ? defaultTarget(kind, entry.source) : expectString(ctx, entry.target, [...at, 'target']);
    if (!target.startsWith('/')) target = kind === 'secrets' ? `/run/secrets/${target}` : `/${target}`;
    const ref: ServiceFileReference = { source: entry.source, target };
    if (entry.uid !== undefined && entry.uid !== null) ref.uid = expectString(ctx, entry.uid, [...at, 'uid']);
    if (entry.gid !== undefined && entry.gid !== null) ref.gid = expectString(ctx, entry.gid, [...at, 'gid']);
    if (entry.mode !== undefined && entry.mode !== null) {
      // A string mode is octal ("0440"), a YAML number is taken as written (0o440 in YAML 1.1 files).
      ref.mode = typeof entry.mode === 'string' ? parseInt(entry.mode, 8) : expectNumber(ctx, entry.mode, [...at, 'mode']);
      if (!Number.isFinite(ref.mode)) fail(ctx, [...at, 'mode'], `invalid file mode ${JSON.stringify(entry.mode)}`);
    }
    return ref;
  });
}

function defaultTarget(kind: FileObjectKind, source: string): string {
  return kind === 'secrets' ? `/run/secrets/${source}` : `/${source}`;
}
