// The engine reads a command line lets the launcher predict (cli/main.ts), sent before the verb's
// bundle is even loaded (see core/engine/early-transport.ts). The verbs below begin by listing
// the project's containers (`up` also its networks, volumes and the images); with -p, or
// COMPOSE_PROJECT_NAME in the environment, the project is known without reading the spec. A name
// from the spec or from a .env file is not guessed at. Plain HTTP only, one bare HTTP/1.0 read
// per socket (core/engine/one-shot-read.ts): a TLS engine would need node:tls loaded here, which
// costs more than the wait it saves.
import { resolveEngineAddress, type EngineAddress } from '../core/engine/address.js';
import type { EarlyEngine } from '../core/engine/connect.js';
import type { EarlyAnswers, RawAnswer } from '../core/engine/early-transport.js';
import { oneShotRead } from '../core/engine/one-shot-read.js';
import { LIST_IMAGES, encodeQuery, listContainersRequest, listNetworksRequest, listVolumesRequest, readKey, type EngineRequest } from '../core/engine/requests.js';
import { projectFilter } from '../core/observe/labels.js';
import { globalValueBeforeVerb, verbOf } from './verb-of.js';

const projectContainers = (project: string): EngineRequest[] => [listContainersRequest({ labels: projectFilter(project), all: true })];

/** What `up` observes first (core/observe/observed-state.ts). */
const projectState = (project: string): EngineRequest[] => {
  const labels = projectFilter(project);
  return [listContainersRequest({ labels, all: true }), listNetworksRequest(labels), listVolumesRequest(labels), LIST_IMAGES];
};

/** Verb -> its first engine reads. A verb missing here, or one that asks otherwise, simply gets no early answer. */
const EARLY_READS: Readonly<Record<string, (project: string) => EngineRequest[]>> = {
  up: projectState,
  ps: projectContainers,
  down: projectContainers,
  start: projectContainers,
  stop: projectContainers,
  restart: projectContainers,
  kill: projectContainers,
  rm: projectContainers,
  pause: projectContainers,
  unpause: projectContainers,
  logs: projectContainers,
  images: projectContainers,
  top: projectContainers,
};

export interface EarlyReadsInput {
  argv: readonly string[];
  env: Record<string, string | undefined>;
  homeDir: string;
}

/**
 * Sends the reads the command line predicts. Returns the engine they went to (the client uses
 * them only if it connects there too) and their answers; undefined when nothing is predicted.
 */
export function startEarlyReads(input: EarlyReadsInput): EarlyEngine | undefined {
  const verb = verbOf(input.argv);
  const reads = verb !== undefined && Object.hasOwn(EARLY_READS, verb) ? EARLY_READS[verb] : undefined;
  const projectName = globalValueBeforeVerb(input.argv, '-p', '--project-name') || input.env.COMPOSE_PROJECT_NAME;
  if (reads === undefined || !projectName) return undefined;
  let address: EngineAddress;
  try {
    address = resolveEngineAddress(input.env, input.homeDir);
  } catch {
    // A bad address: the command itself will say so, in its own words.
    return undefined;
  }
  if (address.protocol === 'ssh' || address.tls) return undefined;
  const answers: EarlyAnswers = new Map();
  for (const request of reads(projectName)) answers.set(readKey(request)!, read(address, request));
  return { address, answers };
}

function read(address: EngineAddress, request: EngineRequest): Promise<RawAnswer> {
  const answer = oneShotRead(address, request.path + encodeQuery(request.query));
  // Nobody may ever ask for it: a failure must not surface as an unhandled rejection.
  answer.catch(() => undefined);
  return answer;
}
