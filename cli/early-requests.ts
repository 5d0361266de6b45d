// The engine reads a command line lets the launcher predict (cli/main.ts), sent before the verb's
// bundle is even loaded (see core/engine/early-transport.ts). The verbs below begin by listing
// the project's containers (`up` also its networks, volumes and the images); with -p, or
// COMPOSE_PROJECT_NAME in the environment, the project is known without reading the spec. A name
// from the spec or from a .env file is not guessed at. Plain HTTP only: a TLS engine would need
// node:https loaded here, which costs more than the wait it saves.
import type { RequestOptions } from 'node:http';
import { resolveEngineAddress, type EngineAddress } from '../core/engine/address.js';
import type { EarlyEngine } from '../core/engine/connect.js';
import type { EarlyAnswers, RawAnswer } from '../core/engine/early-transport.js';
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
  // servername '': no TLS, and left unset the agent works one out with net.isIP, a costly first call.
  const target: RequestOptions & { servername?: string } =
    address.protocol === 'unix' ? { socketPath: address.socketPath ?? '/var/run/docker.sock' } : { host: address.host, port: address.port };
  target.servername = '';
  const answer = new Promise<RawAnswer>((resolve, reject) => {
    // node:http is loaded here, not with the launcher: most runs of most verbs send nothing early.
    const sent = process.getBuiltinModule('node:http').request({ ...target, method: 'GET', path: request.path + encodeQuery(request.query) }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    sent.on('error', reject);
    sent.end();
  });
  // Nobody may ever ask for it: a failure must not surface as an unhandled rejection.
  answer.catch(() => undefined);
  return answer;
}
