// A version-1 (Fig) project: `fig.yml` found by discovery, services at the top level, `links`
// with an alias. The linked service must be reachable by the alias from the linking one.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cliProject, TEST_IMAGE, type CliProject } from './cli-support.js';

let project: CliProject | undefined;

beforeAll(() => buildCli(), 120_000);

afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

// The "redis" answers PONG to every connection; web asks it through the alias `cache` (nc) and
// pings the alias too, retrying while the server starts.
const FIG = `web:
  image: ${TEST_IMAGE}
  command: ["sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do if echo PING | nc -w 2 cache 6379 | grep -q PONG; then ping -c 1 -W 2 cache >/dev/null && echo reached cache; exit 0; fi; sleep 0.5; done; echo unreachable; exit 1"]
  links:
    - redis:cache
redis:
  image: ${TEST_IMAGE}
  command: ["nc", "-ll", "-p", "6379", "-e", "echo", "PONG"]
`;

describe('legacy fig.yml', () => {
  it('comes up, and web reaches the linked service by its alias', async () => {
    project = await cliProject('cli-fig', { 'fig.yml': FIG });
    const result = await project.stack(['up', '--exit-code-from', 'web', '-t', '1']);
    expect(result.stdout).toMatch(/web-1\s+\| reached cache/);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    const names = (await project.containers()).map((c) => c.name);
    expect(names).toEqual([`${project.name}-redis-1`, `${project.name}-web-1`]);
  });
});
