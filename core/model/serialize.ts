// The canonical form `stack config` prints: the model written back in Compose's long syntax,
// durations as Go durations ("1m30s"), sizes as bytes, absolute paths, names filled in, empty
// collections left out. Feeding it back through buildProject gives the same output again.
// Never printed: digests, sources, the interpolation environment, warnings.
import { formatDuration } from './canonical/units.js';
import type {
  BuildConfig,
  Config,
  Deploy,
  Healthcheck,
  Network,
  Project,
  Secret,
  Service,
  ServiceFileReference,
  ServicePort,
  ServiceVolume,
  Volume,
} from './types.js';

type Plain = Record<string, unknown>;

export function toCanonical(project: Project): Plain {
  const out: Plain = { name: project.name };
  out.services = mapSorted(project.services, serviceToPlain);
  putMap(out, 'networks', mapSorted(project.networks, networkToPlain));
  putMap(out, 'volumes', mapSorted(project.volumes, volumeToPlain));
  putMap(out, 'secrets', mapSorted(project.secrets, fileObjectToPlain));
  putMap(out, 'configs', mapSorted(project.configs, fileObjectToPlain));
  Object.assign(out, project.extensions);
  return out;
}

export function serviceNames(project: Project): string[] {
  return Object.keys(project.services).sort();
}

export function volumeNames(project: Project): string[] {
  return Object.keys(project.volumes).sort();
}

export function networkNames(project: Project): string[] {
  return Object.keys(project.networks).sort();
}

/** Every profile any service mentions, enabled or not. */
export function profileNames(project: Project): string[] {
  const all = [...Object.values(project.services), ...Object.values(project.disabledServices)];
  return [...new Set(all.flatMap((service) => service.profiles))].sort();
}

/** The image of each active service; a build-only service gets `<project>-<service>`. */
export function imageNames(project: Project): string[] {
  return serviceNames(project).map((name) => imageName(project, project.services[name] as Service));
}

export function imageName(project: Project, service: Service): string {
  return service.image ?? `${project.name}-${service.name}`;
}

function mapSorted<T>(record: Record<string, T>, convert: (value: T) => unknown): Plain {
  const out: Plain = {};
  for (const key of Object.keys(record).sort()) out[key] = convert(record[key] as T);
  return out;
}

function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key] as T;
  return out;
}

function isEmpty(value: unknown): boolean {
  if (value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object' && value !== null) return Object.keys(value).length === 0;
  return false;
}

function put(out: Plain, key: string, value: unknown): void {
  if (value !== undefined) out[key] = value;
}

function putList(out: Plain, key: string, value: readonly unknown[] | undefined): void {
  if (value !== undefined && value.length > 0) out[key] = [...value];
}

function putMap(out: Plain, key: string, value: Record<string, unknown> | undefined): void {
  if (value !== undefined && !isEmpty(value)) out[key] = sortedRecord(value);
}

function putDuration(out: Plain, key: string, value: number | undefined): void {
  if (value !== undefined) out[key] = formatDuration(value);
}

/** Service keys in alphabetical order, as compose-go's struct order (nearly alphabetical) prints them. */
function serviceToPlain(service: Service): Plain {
  const out: Plain = {};
  putMap(out, 'annotations', service.annotations);
  put(out, 'blkio_config', service.blkio_config);
  if (service.build) out.build = buildToPlain(service.build);
  putList(out, 'cap_add', service.cap_add);
  putList(out, 'cap_drop', service.cap_drop);
  put(out, 'cgroup', service.cgroup);
  put(out, 'cgroup_parent', service.cgroup_parent);
  put(out, 'command', service.command === undefined ? undefined : service.command === null ? null : [...service.command]);
  if (service.configs.length > 0) out.configs = service.configs.map(fileReferenceToPlain);
  put(out, 'container_name', service.container_name);
  put(out, 'cpu_period', service.cpu_period);
  put(out, 'cpu_quota', service.cpu_quota);
  put(out, 'cpu_shares', service.cpu_shares);
  put(out, 'cpus', service.cpus);
  put(out, 'cpuset', service.cpuset);
  if (!isEmpty(service.depends_on)) {
    out.depends_on = mapSorted(service.depends_on, (dep) => ({ condition: dep.condition, ...(dep.restart ? { restart: true } : {}), required: dep.required }));
  }
  if (service.deploy && !isEmpty(service.deploy)) out.deploy = deployToPlain(service.deploy);
  if (service.develop && service.develop.watch.length > 0) {
    out.develop = { watch: service.develop.watch.map((rule) => dropEmpty({ ...rule, ignore: rule.ignore.length > 0 ? [...rule.ignore] : undefined })) };
  }
  putList(out, 'device_cgroup_rules', service.device_cgroup_rules);
  if (service.devices.length > 0) out.devices = service.devices.map((device) => ({ ...device }));
  putList(out, 'dns', service.dns);
  putList(out, 'dns_opt', service.dns_opt);
  putList(out, 'dns_search', service.dns_search);
  put(out, 'domainname', service.domainname);
  put(out, 'entrypoint', service.entrypoint === undefined ? undefined : service.entrypoint === null ? null : [...service.entrypoint]);
  putMap(out, 'environment', service.environment);
  putList(out, 'expose', service.expose);
  putList(out, 'external_links', service.external_links);
  putList(out, 'extra_hosts', service.extra_hosts);
  putList(out, 'group_add', service.group_add);
  if (service.healthcheck) out.healthcheck = healthcheckToPlain(service.healthcheck);
  put(out, 'hostname', service.hostname);
  put(out, 'image', service.image);
  put(out, 'init', service.init);
  put(out, 'ipc', service.ipc);
  put(out, 'isolation', service.isolation);
  putMap(out, 'labels', service.labels);
  putList(out, 'links', service.links);
  if (service.logging && !isEmpty(service.logging)) out.logging = dropEmpty({ driver: service.logging.driver, options: service.logging.options && sortedRecord(service.logging.options) });
  put(out, 'mac_address', service.mac_address);
  put(out, 'mem_limit', service.mem_limit);
  put(out, 'mem_reservation', service.mem_reservation);
  put(out, 'mem_swappiness', service.mem_swappiness);
  put(out, 'memswap_limit', service.memswap_limit);
  put(out, 'network_mode', service.network_mode);
  // Compose prints a network joined without options as `name: null`.
  if (!isEmpty(service.networks)) out.networks = mapSorted(service.networks, (config) => (isEmpty(config) ? null : dropEmpty({ ...config })));
  put(out, 'oom_kill_disable', service.oom_kill_disable);
  put(out, 'oom_score_adj', service.oom_score_adj);
  put(out, 'pid', service.pid);
  put(out, 'pids_limit', service.pids_limit);
  put(out, 'platform', service.platform);
  if (service.ports.length > 0) out.ports = service.ports.map(portToPlain);
  put(out, 'privileged', service.privileged);
  putList(out, 'profiles', service.profiles);
  put(out, 'pull_policy', service.pull_policy);
  put(out, 'read_only', service.read_only);
  put(out, 'restart', service.restart);
  put(out, 'runtime', service.runtime);
  if (service.scale !== 1) out.scale = service.scale;
  if (service.secrets.length > 0) out.secrets = service.secrets.map(fileReferenceToPlain);
  putList(out, 'security_opt', service.security_opt);
  put(out, 'shm_size', service.shm_size);
  put(out, 'stdin_open', service.stdin_open);
  putDuration(out, 'stop_grace_period', service.stop_grace_period);
  put(out, 'stop_signal', service.stop_signal);
  putMap(out, 'storage_opt', service.storage_opt);
  putMap(out, 'sysctls', service.sysctls);
  putList(out, 'tmpfs', service.tmpfs);
  put(out, 'tty', service.tty);
  if (!isEmpty(service.ulimits)) out.ulimits = mapSorted(service.ulimits, (limit) => ({ soft: limit.soft, hard: limit.hard }));
  put(out, 'user', service.user);
  put(out, 'userns_mode', service.userns_mode);
  put(out, 'uts', service.uts);
  if (service.volumes.length > 0) out.volumes = service.volumes.map(volumeMountToPlain);
  putList(out, 'volumes_from', service.volumes_from);
  put(out, 'working_dir', service.working_dir);
  Object.assign(out, service.extensions);
  return out;
}

function buildToPlain(build: BuildConfig): Plain {
  const out: Plain = { context: build.context };
  put(out, 'dockerfile', build.dockerfile);
  put(out, 'dockerfile_inline', build.dockerfile_inline);
  putMap(out, 'args', build.args);
  putMap(out, 'additional_contexts', build.additional_contexts);
  putList(out, 'cache_from', build.cache_from);
  putList(out, 'cache_to', build.cache_to);
  putList(out, 'extra_hosts', build.extra_hosts);
  putMap(out, 'labels', build.labels);
  put(out, 'network', build.network);
  put(out, 'no_cache', build.no_cache);
  putList(out, 'platforms', build.platforms);
  put(out, 'pull', build.pull);
  if (build.secrets && build.secrets.length > 0) out.secrets = build.secrets.map(fileReferenceToPlain);
  put(out, 'shm_size', build.shm_size);
  putList(out, 'ssh', build.ssh);
  putList(out, 'tags', build.tags);
  put(out, 'target', build.target);
  return out;
}

/** compose-go ServicePortConfig field order. */
function portToPlain(port: ServicePort): Plain {
  const out: Plain = {};
  put(out, 'name', port.name);
  out.mode = port.mode;
  put(out, 'host_ip', port.host_ip);
  out.target = port.target;
  put(out, 'published', port.published);
  out.protocol = port.protocol;
  put(out, 'app_protocol', port.app_protocol);
  return out;
}

/** compose-go ServiceVolumeConfig field order; `volume: {}` is printed as Compose does. */
function volumeMountToPlain(volume: ServiceVolume): Plain {
  const out: Plain = { type: volume.type };
  put(out, 'source', volume.source);
  out.target = volume.target;
  if (volume.read_only) out.read_only = true;
  put(out, 'consistency', volume.consistency);
  if (volume.bind) out.bind = dropEmpty({ propagation: volume.bind.propagation, create_host_path: volume.bind.create_host_path, selinux: volume.bind.selinux });
  if (volume.volume) out.volume = dropEmpty({ ...volume.volume });
  if (volume.tmpfs) out.tmpfs = dropEmpty({ ...volume.tmpfs });
  if (volume.image) out.image = dropEmpty({ ...volume.image });
  return out;
}

function healthcheckToPlain(check: Healthcheck): Plain {
  const out: Plain = {};
  if (check.test) out.test = [...check.test];
  putDuration(out, 'timeout', check.timeout);
  putDuration(out, 'interval', check.interval);
  put(out, 'retries', check.retries);
  putDuration(out, 'start_period', check.start_period);
  putDuration(out, 'start_interval', check.start_interval);
  if (check.disable) out.disable = true;
  return out;
}

function deployToPlain(deploy: Deploy): Plain {
  const out: Plain = {};
  put(out, 'mode', deploy.mode);
  put(out, 'replicas', deploy.replicas);
  putMap(out, 'labels', deploy.labels);
  put(out, 'update_config', deploy.update_config && structuredClone(deploy.update_config));
  put(out, 'rollback_config', deploy.rollback_config && structuredClone(deploy.rollback_config));
  if (deploy.resources && !isEmpty(deploy.resources)) {
    const resources: Plain = {};
    if (deploy.resources.limits) resources.limits = dropEmpty(structuredClone(deploy.resources.limits) as Plain);
    if (deploy.resources.reservations) resources.reservations = dropEmpty(structuredClone(deploy.resources.reservations) as Plain);
    out.resources = resources;
  }
  if (deploy.restart_policy) {
    const policy = deploy.restart_policy;
    const restart: Plain = {};
    put(restart, 'condition', policy.condition);
    putDuration(restart, 'delay', policy.delay);
    put(restart, 'max_attempts', policy.max_attempts);
    putDuration(restart, 'window', policy.window);
    out.restart_policy = restart;
  }
  put(out, 'placement', deploy.placement && structuredClone(deploy.placement));
  put(out, 'endpoint_mode', deploy.endpoint_mode);
  return out;
}

function fileReferenceToPlain(ref: ServiceFileReference): Plain {
  const out: Plain = { source: ref.source, target: ref.target };
  put(out, 'uid', ref.uid);
  put(out, 'gid', ref.gid);
  // Compose prints modes in octal; a string keeps it readable and parses back as octal.
  if (ref.mode !== undefined) out.mode = `0${ref.mode.toString(8)}`;
  return out;
}

function networkToPlain(network: Network): Plain {
  const out: Plain = { name: network.name };
  put(out, 'driver', network.driver);
  putMap(out, 'driver_opts', network.driver_opts);
  if (network.ipam && !isEmpty(network.ipam)) out.ipam = dropEmpty(structuredClone(network.ipam) as Plain);
  if (network.external) out.external = true;
  put(out, 'internal', network.internal);
  put(out, 'attachable', network.attachable);
  put(out, 'enable_ipv6', network.enable_ipv6);
  putMap(out, 'labels', network.labels);
  Object.assign(out, network.extensions);
  return out;
}

function volumeToPlain(volume: Volume): Plain {
  const out: Plain = { name: volume.name };
  put(out, 'driver', volume.driver);
  putMap(out, 'driver_opts', volume.driver_opts);
  if (volume.external) out.external = true;
  putMap(out, 'labels', volume.labels);
  Object.assign(out, volume.extensions);
  return out;
}

function fileObjectToPlain(object: Secret | Config): Plain {
  const out: Plain = { name: object.name };
  put(out, 'file', object.file);
  put(out, 'environment', object.environment);
  put(out, 'content', 'content' in object ? object.content : undefined);
  if (object.external) out.external = true;
  putMap(out, 'labels', object.labels);
  Object.assign(out, object.extensions);
  return out;
}

function dropEmpty(value: Plain): Plain {
  const out: Plain = {};
  for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = item;
  return out;
}
