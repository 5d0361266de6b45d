import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileComposeSchema } from '../../../core/validate/schema.js';
import { FORMATS } from '../../../core/validate/formats.js';

const schemaPath = new URL('../../../schema/compose.schema.json', import.meta.url);
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;

type Node = Record<string, unknown>;

/** Every subschema with the JSON pointer that reaches it. */
function walk(node: unknown, pointer: string, visit: (node: Node, pointer: string) => void): void {
  if (Array.isArray(node)) {
    node.forEach((item, index) => walk(item, `${pointer}/${index}`, visit));
    return;
  }
  if (node === null || typeof node !== 'object') return;
  visit(node as Node, pointer);
  for (const [key, value] of Object.entries(node)) walk(value, `${pointer}/${key}`, visit);
}

function serviceSchema(): Node {
  const services = (schema['properties'] as Node)['services'] as Node;
  return (services['patternProperties'] as Node)['^[a-zA-Z0-9._-]+$'] as Node;
}

describe('schema/compose.schema.json', () => {
  it('is a draft-07 schema with an $id and a title', () => {
    expect(schema['$schema']).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema['$id']).toBe('https://stack.dev/schema/compose.schema.json');
    expect(schema['title']).toEqual(expect.any(String));
  });

  it('compiles in ajv strict mode, checked against the draft-07 meta-schema', () => {
    expect(() => compileComposeSchema({ strict: true })).not.toThrow();
  });

  it('gives every property a description, for editor help', () => {
    const missing: string[] = [];
    walk(schema, '#', (node, pointer) => {
      for (const key of ['properties', 'patternProperties']) {
        const properties = node[key];
        if (properties === null || typeof properties !== 'object') continue;
        for (const [name, property] of Object.entries(properties as Node)) {
          if (typeof (property as Node)['description'] !== 'string') missing.push(`${pointer}/${key}/${name}`);
        }
      }
    });
    expect(missing).toEqual([]);
  });

  it('uses only formats stack registers, and every registered format is used', () => {
    const used = new Set<string>();
    walk(schema, '#', (node) => {
      if (typeof node['format'] === 'string') used.add(node['format']);
    });
    expect([...used].sort()).toEqual(Object.keys(FORMATS).sort());
  });

  it('keeps $ref out of definitions, so that error schemaPaths point from the root', () => {
    expect(JSON.stringify(schema['definitions'])).not.toContain('$ref');
  });

  it('closes services to unknown keys but allows x- extensions', () => {
    const service = serviceSchema();
    expect(service['additionalProperties']).toBe(false);
    expect(Object.keys(service['patternProperties'] as Node)).toEqual(['^x-']);
  });

  it('knows every service key the engine can honour, and the legacy v1 ones', () => {
    const keys = Object.keys(serviceSchema()['properties'] as Node);
    const expected = [
      'image', 'build', 'command', 'entrypoint', 'environment', 'env_file', 'ports', 'expose', 'volumes', 'volumes_from',
      'networks', 'network_mode', 'links', 'external_links', 'dns', 'dns_search', 'dns_opt', 'extra_hosts', 'depends_on',
      'healthcheck', 'restart', 'deploy', 'scale', 'profiles', 'init', 'tty', 'stdin_open', 'privileged', 'read_only',
      'stop_signal', 'stop_grace_period', 'cap_add', 'cap_drop', 'devices', 'device_cgroup_rules', 'group_add',
      'security_opt', 'ulimits', 'sysctls', 'logging', 'pid', 'ipc', 'uts', 'userns_mode', 'cgroup', 'cgroup_parent',
      'runtime', 'isolation', 'storage_opt', 'shm_size', 'mem_limit', 'mem_reservation', 'memswap_limit', 'mem_swappiness',
      'oom_kill_disable', 'oom_score_adj', 'pids_limit', 'cpus', 'cpu_shares', 'cpu_period', 'cpu_quota', 'cpuset',
      'cpu_count', 'cpu_percent', 'cpu_rt_period', 'cpu_rt_runtime', 'blkio_config', 'secrets', 'configs', 'develop',
      'container_name', 'hostname', 'domainname', 'mac_address', 'platform', 'pull_policy', 'user', 'working_dir',
      'labels', 'annotations', 'extends', 'post_start', 'pre_stop', 'attach', 'tmpfs', 'gpus', 'net', 'dockerfile',
    ];
    expect(keys.filter((key) => !expected.includes(key))).toEqual([]);
    expect(expected.filter((key) => !keys.includes(key))).toEqual([]);
  });
});
