// Builds LoadedSpecs straight from inline YAML (no loader), and checks the round trip
// toCanonical -> YAML -> buildProject -> toCanonical.
import { expect } from 'vitest';
import { LineCounter, parseDocument, stringify } from 'yaml';
import { SourceMap } from '../../../core/load/source-map.js';
import { sourceMapOfDocument } from '../../../core/load/source-map-yaml.js';
import type { LoadedSpec } from '../../../core/load/types.js';
import { buildProject, type BuildOptions } from '../../../core/model/build.js';
import { toCanonical } from '../../../core/model/serialize.js';
import type { Project } from '../../../core/model/types.js';

export const WORKDIR = '/work/proj';
export const FILE = `${WORKDIR}/compose.yaml`;

export interface SpecOptions {
  projectName?: string;
  workingDir?: string;
  environment?: Record<string, string>;
  file?: string;
}

export function specFrom(text: string, options: SpecOptions = {}): LoadedSpec {
  const file = options.file ?? FILE;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, merge: true });
  if (doc.errors.length > 0) throw doc.errors[0];
  const data = (doc.toJS() ?? {}) as Record<string, unknown>;
  return {
    projectName: options.projectName ?? 'demo',
    workingDir: options.workingDir ?? WORKDIR,
    configFiles: [file],
    sourceFiles: [file],
    data,
    sources: sourceMapOfDocument(doc, file, lineCounter, text),
    environment: options.environment ?? {},
    warnings: [],
  };
}

/** A readFile over an in-memory file table; missing files throw ENOENT like fs does. */
export function fakeFiles(files: Record<string, string>): (path: string) => string {
  return (path) => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
    return text;
  };
}

export type TestBuildOptions = Partial<BuildOptions> & SpecOptions;

export function build(text: string, options: TestBuildOptions = {}): Project {
  return buildProject(specFrom(text, options), { profiles: options.profiles ?? [], services: options.services, readFile: options.readFile ?? fakeFiles({}) });
}

/** The round-trip property: the canonical form rebuilds to the same canonical form. */
export function expectRoundTrip(project: Project, options: TestBuildOptions = {}): Record<string, unknown> {
  const canonical = toCanonical(project);
  const rebuilt = build(stringify(canonical), { projectName: project.name, workingDir: project.workingDir, environment: project.environment, ...options });
  expect(toCanonical(rebuilt)).toEqual(canonical);
  return canonical;
}

/** Builds, checks the round trip, and returns the project. */
export function buildChecked(text: string, options: TestBuildOptions = {}): Project {
  const project = build(text, options);
  expectRoundTrip(project, options);
  return project;
}

export function serviceOf(project: Project, name = 'web') {
  const service = project.services[name];
  if (!service) throw new Error(`no service ${name}`);
  return service;
}

/** Runs `fn`, expecting a StackError; returns it for assertions. */
export function errorOf(fn: () => unknown): Error & { code?: string; problems?: { message: string; location?: { line: number; col: number }; hint?: string; path?: readonly (string | number)[] }[]; hint?: string } {
  try {
    fn();
  } catch (error) {
    return error as never;
  }
  throw new Error('expected an error');
}
