// The build context as the docker CLI sends it: a tar of the context folder without what
// `.dockerignore` excludes (`<Dockerfile>.dockerignore` first, as BuildKit reads it), owned by
// root, always with the Dockerfile and `.dockerignore` themselves. A Dockerfile outside the
// context (Compose allows `dockerfile: ../Dockerfile`) or written inline is added under a
// generated name, which the tar's `.dockerignore` then names so that the daemon drops it after
// reading it (what the docker CLI does): `COPY . .` never copies it.
import { randomHex } from '../digests.js';
import { lstatSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import dockerignore from '@balena/dockerignore';
import tar from 'tar-fs';
import { StackError } from '../errors.js';

type IgnoreFactory = () => { add(patterns: string[]): { ignores(path: string): boolean } };
// A CommonJS module typed as ESM: the function is the module itself (and also its `default`).
const createIgnore = ((dockerignore as unknown as { default?: IgnoreFactory }).default ?? dockerignore) as unknown as IgnoreFactory;

export interface BuildContextInput {
  /** Absolute folder (the model resolves it), or a URL, which is refused. */
  context: string;
  /** Relative to the context, or absolute; default `Dockerfile`. */
  dockerfile?: string;
  dockerfileInline?: string;
  /** For error messages. */
  service?: string;
}

export interface BuildContext {
  stream: Readable;
  /** The Dockerfile's path inside the tar, for the builder's `dockerfile` parameter. */
  dockerfile: string;
  /** The Dockerfile's text (to find the base images' registries). */
  dockerfileText: string;
}

/** Git and HTTP contexts: the engine would fetch them itself; stack does not support that. */
export function isRemoteContext(context: string): boolean {
  return /^(https?:\/\/|git@|git:\/\/|ssh:\/\/|github\.com\/)/i.test(context) || /\.git(#.*)?$/i.test(context);
}

/** Patterns from a `.dockerignore` text: comments and blank lines dropped, as Docker reads them. */
export function parseDockerignore(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/**
 * Decides what stays out of the context. Paths are relative to the context, `/`-separated.
 * A directory is skipped whole only when excluded and no `!` pattern could bring something back.
 */
export function contextFilter(patterns: readonly string[], alwaysKept: readonly string[] = []): { ignoresFile(path: string): boolean; ignoresDirectory(path: string): boolean } {
  const matcher = createIgnore().add([...patterns]);
  const kept = new Set(alwaysKept);
  const hasExceptions = patterns.some((pattern) => pattern.startsWith('!'));
  return {
    ignoresFile: (path) => !kept.has(path) && matcher.ignores(path),
    ignoresDirectory: (path) => {
      if (!matcher.ignores(path)) return false;
      if (hasExceptions) return false;
      // A kept file (the Dockerfile) under an excluded folder: walk the folder, keep only it.
      return ![...kept].some((file) => file.startsWith(`${path}/`));
    },
  };
}

/** The ignore patterns that apply: `<dockerfile>.dockerignore` next to an in-context Dockerfile wins over `.dockerignore`. */
export async function readIgnorePatterns(contextDir: string, dockerfileInContext?: string): Promise<string[]> {
  const candidates = dockerfileInContext !== undefined ? [join(contextDir, `${dockerfileInContext}.dockerignore`)] : [];
  candidates.push(join(contextDir, '.dockerignore'));
  for (const file of candidates) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text !== undefined) return parseDockerignore(text);
  }
  return [];
}

/** Where the Dockerfile is, and whether it is inside the context. */
export function locateDockerfile(contextDir: string, dockerfile: string | undefined): { path: string; inContext?: string } {
  const path = resolve(contextDir, dockerfile ?? 'Dockerfile');
  const rel = relative(contextDir, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return { path };
  return { path, inContext: rel.split(sep).join('/') };
}

/** Makes the tar stream; fails before streaming when the context or the Dockerfile cannot be read. */
export async function createBuildContext(input: BuildContextInput): Promise<BuildContext> {
  const who = input.service !== undefined ? `service ${input.service}: ` : '';
  if (isRemoteContext(input.context)) {
    throw new StackError('USAGE', `${who}build context ${input.context} is a remote (git or URL) context, which stack does not build from`, {
      hint: 'clone the repository and point `build.context` at the folder',
    });
  }
  const contextDir = resolve(input.context);
  const info = await stat(contextDir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new StackError('NOT_FOUND', `${who}build context ${contextDir} ${info ? 'is not a folder' : 'does not exist'}`, {
      hint: 'check `build.context` (relative paths start from the compose file\'s folder)',
    });
  }

  let dockerfileText: string;
  let inTar: string;
  let extra: { name: string; text: string } | undefined;
  const located = input.dockerfileInline === undefined ? locateDockerfile(contextDir, input.dockerfile) : undefined;
  if (located === undefined) {
    dockerfileText = input.dockerfileInline ?? '';
    inTar = generatedName();
    extra = { name: inTar, text: dockerfileText };
  } else {
    const text = await readFile(located.path, 'utf8').catch(() => undefined);
    if (text === undefined) {
      throw new StackError('NOT_FOUND', `${who}Dockerfile ${located.path} does not exist`, { hint: 'check `build.dockerfile` (it is relative to `build.context`)' });
    }
    dockerfileText = text;
    if (located.inContext !== undefined) inTar = located.inContext;
    else {
      inTar = generatedName();
      extra = { name: inTar, text };
    }
  }

  const patterns = await readIgnorePatterns(contextDir, located?.inContext);
  const filter = contextFilter(patterns, [inTar, '.dockerignore']);
  const isIgnored = (absolute: string): boolean => {
    const rel = relative(contextDir, absolute).split(sep).join('/');
    if (rel === '' || !ignoredByPattern(filter, rel)) return false;
    // Only excluded paths are stat'ed: the common case costs no system call.
    let directory = false;
    try {
      directory = lstatSync(absolute).isDirectory();
    } catch {
      return true;
    }
    return directory ? filter.ignoresDirectory(rel) : filter.ignoresFile(rel);
  };

  const pack = tar.pack(contextDir, {
    ignore: isIgnored,
    // The docker CLI sends everything as root: file ownership on the host means nothing in the image.
    map: (header) => ({ ...header, uid: 0, gid: 0, uname: '', gname: '' }),
    ...(extra
      ? {
          finalize: false,
          finish: (packer) => {
            const ignoreText = [...patterns, '.dockerignore', extra.name].join('\n');
            packer.entry({ name: extra.name, mode: 0o644, uid: 0, gid: 0 }, extra.text);
            // Replaces the context's own `.dockerignore` entry for the daemon (last entry wins on extract).
            packer.entry({ name: '.dockerignore', mode: 0o644, uid: 0, gid: 0 }, `${ignoreText}\n`);
            packer.finalize();
          },
        }
      : {}),
  }) as unknown as Readable;
  return { stream: pack, dockerfile: inTar, dockerfileText };
}

/** Cheap pre-check: whether any pattern excludes the path (files and folders alike). */
function ignoredByPattern(filter: ReturnType<typeof contextFilter>, rel: string): boolean {
  return filter.ignoresFile(rel) || filter.ignoresDirectory(rel);
}

function generatedName(): string {
  return `.dockerfile.${randomHex(10)}`;
}
