// Builds one service's image through the Engine API: the model's `build:` becomes the builder's
// parameters, the context a tar stream (./context.ts), the output a line callback. A failing build
// becomes an error that names the service, the failing step and that step's output.
import type { BuildImageOptions, Engine, PullProgress, RegistryAuth } from '../engine/engine.js';
import type { CredentialLookup } from '../engine/credentials.js';
import { EngineError, StackError } from '../errors.js';
import type { BuildConfig, Service } from '../model/types.js';
import { createBuildContext } from './context.js';

export interface BuildServiceInput {
  engine: Pick<Engine, 'buildImage'>;
  /** The service; its `build:` must be set. */
  service: Pick<Service, 'name' | 'build'>;
  /** The name the containers use (`image:`, else `<project>-<service>`): the first tag. */
  image: string;
  /** `--no-cache` (or `build.no_cache`). */
  noCache?: boolean;
  /** `--pull` (or `build.pull`). */
  pull?: boolean;
  /** `--build-arg` values: override the spec's `args`. */
  buildArgs?: Record<string, string>;
  /** Credentials for the base images' registries. */
  auth?: CredentialLookup;
  onOutput?: (line: string) => void;
  onProgress?: (p: PullProgress) => void;
  signal?: AbortSignal;
}

export interface BuiltImage {
  service: string;
  image: string;
  /** `sha256:...`, when the builder reported it. */
  id?: string;
  tags: string[];
}

/** Lines of a failing step kept for the error message. */
const STEP_OUTPUT_LINES = 30;

export async function buildServiceImage(input: BuildServiceInput): Promise<BuiltImage> {
  const { service } = input;
  const build = service.build;
  if (build === undefined) throw new StackError('USAGE', `service ${service.name} has no build section`, { hint: 'add `build:` or use `image:` only' });
  const context = await createBuildContext({
    context: build.context,
    ...(build.dockerfile !== undefined ? { dockerfile: build.dockerfile } : {}),
    ...(build.dockerfile_inline !== undefined ? { dockerfileInline: build.dockerfile_inline } : {}),
    service: service.name,
  });
  const tags = [...new Set([input.image, ...build.tags])];
  const registryConfig = input.auth ? await baseImageCredentials(context.dockerfileText, input.auth) : undefined;

  const step = new StepTracker();
  const options: BuildImageOptions = {
    ...builderOptions(build, input),
    tags,
    dockerfile: context.dockerfile,
    onOutput: (raw) => {
      // The classic builder colours a RUN step's stderr; the renderers colour by themselves.
      const line = stripAnsi(raw);
      // A colour reset on a line of its own is no output.
      if (line === '' && raw !== '') return;
      step.add(line);
      input.onOutput?.(line);
    },
    ...(registryConfig && Object.keys(registryConfig).length > 0 ? { registryConfig } : {}),
    ...(input.onProgress ? { onProgress: input.onProgress } : {}),
    ...(input.signal ? { signal: input.signal } : {}),
  };
  try {
    const result = await input.engine.buildImage(context.stream, options);
    return { service: service.name, image: input.image, tags, ...(result.id !== undefined ? { id: result.id } : {}) };
  } catch (error) {
    throw buildFailure(service.name, error, step);
  } finally {
    context.stream.destroy();
  }
}

/** The builder's parameters from `build:` and the command line (flags win over the spec). */
export function builderOptions(build: BuildConfig, flags: Pick<BuildServiceInput, 'noCache' | 'pull' | 'buildArgs'> = {}): Omit<BuildImageOptions, 'tags'> {
  const buildArgs: Record<string, string> = {};
  // A `null` arg is a name without a value and no variable to fill it: Compose leaves it unset.
  for (const [key, value] of Object.entries(build.args)) if (value !== null) buildArgs[key] = value;
  Object.assign(buildArgs, flags.buildArgs ?? {});
  const out: Omit<BuildImageOptions, 'tags'> = {};
  if (Object.keys(buildArgs).length > 0) out.buildArgs = buildArgs;
  if (build.target !== undefined) out.target = build.target;
  if (Object.keys(build.labels).length > 0) out.labels = { ...build.labels };
  if (build.cache_from.length > 0) out.cacheFrom = [...build.cache_from];
  if (build.network !== undefined) out.networkMode = build.network;
  if (build.shm_size !== undefined) out.shmSize = build.shm_size;
  if (build.extra_hosts.length > 0) out.extraHosts = [...build.extra_hosts];
  if (flags.noCache || build.no_cache) out.noCache = true;
  if (flags.pull || build.pull) out.pull = true;
  return out;
}

/**
 * The registries the Dockerfile's `FROM` lines name (stages and `scratch` excluded), with the
 * credentials known for them: the builder pulls base images itself and needs them then.
 */
export async function baseImageCredentials(dockerfile: string, auth: CredentialLookup): Promise<Record<string, RegistryAuth>> {
  const out: Record<string, RegistryAuth> = {};
  for (const image of baseImages(dockerfile)) {
    const found = await auth(image);
    if (found) out[found.serveraddress] = found;
  }
  return out;
}

/** `FROM [--platform=...] image [AS name]` images, in order, without stage names, `scratch` or `${ARG}` forms. */
export function baseImages(dockerfile: string): string[] {
  const stages = new Set<string>();
  const images: string[] = [];
  // Continuation lines join the instruction they continue.
  const text = dockerfile.replace(/\\\r?\n/g, ' ');
  for (const raw of text.split(/\r?\n/)) {
    const match = /^\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(raw);
    if (!match) continue;
    const image = match[1] as string;
    if (image.toLowerCase() !== 'scratch' && !stages.has(image.toLowerCase()) && !image.includes('$')) images.push(image);
    if (match[2] !== undefined) stages.add(match[2].toLowerCase());
  }
  return [...new Set(images)];
}

/** Remembers the current `Step n/m : ...` line and the output since. */
export class StepTracker {
  step: string | undefined;
  output: string[] = [];

  add(line: string): void {
    if (/^Step \d+\/\d+ : /.test(line)) {
      this.step = line;
      this.output = [];
      return;
    }
    // The classic builder's bookkeeping lines say nothing about the failure.
    if (/^ ---> |^Removing intermediate container |^Successfully (built|tagged) /.test(line)) return;
    this.output.push(line);
    if (this.output.length > STEP_OUTPUT_LINES) this.output.shift();
  }
}

/** The builder's failure as a StackError naming the service, the step and its last output lines. */
export function buildFailure(service: string, error: unknown, step: StepTracker): Error {
  // Unreachable engine, aborts, bugs: not the build's fault, passed on as they are.
  if (!(error instanceof EngineError) || error.operation !== 'build image' || error.code === 'ENGINE_UNREACHABLE') {
    return error instanceof Error ? error : new StackError('ENGINE', `service ${service}: build failed: ${String(error)}`);
  }
  const prefix = `${error.operation}${error.resource !== undefined ? ` ${error.resource}` : ''}: `;
  const reason = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  const lines = [`service ${service}: build failed${step.step !== undefined ? ` at ${step.step.replace(/^Step /, 'step ')}` : ''}`];
  const output = step.output.filter((line) => line.trim() !== '' && line.trim() !== reason.trim());
  if (output.length > 0) lines.push(...output.map((line) => `  | ${line}`));
  lines.push(`  ${reason}`);
  return new StackError('ENGINE', lines.join('\n'), {
    hint: step.step !== undefined ? 'fix that Dockerfile step; `stack build ' + service + '` shows the whole output' : 'check the build section of the service',
    cause: error,
  });
}

/** Removes terminal escape sequences (colours, cursor moves) from builder output. */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]|\u001b\][^\u0007]*\u0007/g, '');
}

/**
 * Keys of `build:` that need BuildKit (the Engine API's classic builder has no session for
 * secrets, ssh or extra contexts): reported as warnings rather than silently dropped.
 */
export function unsupportedBuildKeys(build: BuildConfig): string[] {
  const out: string[] = [];
  if (build.ssh && build.ssh.length > 0) out.push('ssh');
  if (build.secrets && build.secrets.length > 0) out.push('secrets');
  if (build.additional_contexts && Object.keys(build.additional_contexts).length > 0) out.push('additional_contexts');
  if (build.cache_to && build.cache_to.length > 0) out.push('cache_to');
  if (build.platforms && build.platforms.length > 1) out.push('platforms');
  return out;
}
