// The engine request a command line lets us predict, started before the program has even
// registered its flags (see core/engine/early-transport.ts). Verbs whose first engine calls are
// predictable export one of these as their `early` (cli/verbs.ts); with -p (or
// COMPOSE_PROJECT_NAME in the environment) the project is known without reading the spec. The
// name from the spec, or from a .env file, is not guessed at.
import { resolveEngineAddress } from '../core/engine/address.js';
import type { EarlyEngine } from '../core/engine/connect.js';
import { LIST_IMAGES, listContainersRequest, listNetworksRequest, listVolumesRequest } from '../core/engine/docker.js';
import { EarlyTransport } from '../core/engine/early-transport.js';
import { HttpTransport, type EngineRequest } from '../core/engine/http-transport.js';
import { projectFilter } from '../core/observe/labels.js';
import { globalValueBeforeVerb } from './verb-of.js';

export interface EarlyRequestsInput {
  argv: readonly string[];
  env: Record<string, string | undefined>;
  homeDir: string;
}

/** The engine with the list of the project's containers on its way, or undefined when the project is not known yet. */
export function listProjectEarly(input: EarlyRequestsInput): EarlyEngine | undefined {
  return startEarly(input, (project) => [listContainersRequest({ labels: projectFilter(project), all: true })]);
}

/** What `up` observes first (core/observe/observed-state.ts): the project's containers, networks and volumes, and the images. */
export function observeProjectEarly(input: EarlyRequestsInput): EarlyEngine | undefined {
  return startEarly(input, (project) => {
    const labels = projectFilter(project);
    return [listContainersRequest({ labels, all: true }), listNetworksRequest(labels), listVolumesRequest(labels), LIST_IMAGES];
  });
}

function startEarly(input: EarlyRequestsInput, requests: (projectName: string) => EngineRequest[]): EarlyEngine | undefined {
  const projectName = globalValueBeforeVerb(input.argv, '-p', '--project-name') || input.env.COMPOSE_PROJECT_NAME;
  if (!projectName) return undefined;
  try {
    const address = resolveEngineAddress(input.env, input.homeDir);
    if (address.protocol === 'ssh') return undefined;
    const transport = new EarlyTransport(new HttpTransport(address));
    for (const request of requests(projectName)) transport.start(request);
    return { address, transport };
  } catch {
    // A bad address or certificate: the command itself will say so, in its own words.
    return undefined;
  }
}
