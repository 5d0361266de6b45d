// network_mode, networks, links -> HostConfig.NetworkMode/Links, NetworkingConfig and the
// networks connected after create, as Compose's defaultNetworkSettings / createEndpointSettings /
// getLinks do for an engine below API 1.44 (one network at create time).
import type { EndpointSettings } from '../../engine/engine.js';
import type { Project, Service, ServiceNetwork } from '../../model/types.js';
import { resolveServiceMode, type ContainerNamesOf } from './references.js';

export interface NetworkingInput {
  project: Project;
  service: Service;
  /** This container's name: Compose makes it the first alias on every network. */
  name: string;
  names: ContainerNamesOf;
}

export interface NetworkingResult {
  networkMode: string;
  /** The primary network's endpoint, keyed by engine name; absent with `network_mode`. */
  endpointsConfig?: Record<string, EndpointSettings>;
  extraNetworks: Record<string, EndpointSettings>;
  /** HostConfig.Links (legacy links; Compose also repeats them on every endpoint). */
  links: string[];
  /** Container-level MAC address: the only place API < 1.44 takes one. */
  macAddress?: string;
}

/** Network keys by `priority` (highest first), then by name: compose-go's NetworksByPriority. */
export function networksByPriority(networks: Record<string, ServiceNetwork>): string[] {
  return Object.keys(networks).sort((a, b) => {
    const pa = networks[a]?.priority ?? 0;
    const pb = networks[b]?.priority ?? 0;
    if (pa !== pb) return pb - pa;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

export function networking(input: NetworkingInput): NetworkingResult {
  const { project, service, name, names } = input;
  const links = legacyLinks(project, service, names);

  if (service.network_mode !== undefined) {
    const networkMode = resolveServiceMode(service.network_mode, names, service.name, 'network stack') ?? service.network_mode;
    const result: NetworkingResult = { networkMode, extraNetworks: {}, links: linksAllowed(networkMode) ? links : [] };
    if (service.mac_address !== undefined) result.macAddress = service.mac_address;
    return result;
  }

  const keys = networksByPriority(service.networks);
  // compose-go attaches services without `networks:` to `default`; a project with no network at
  // all runs its containers without one, as Compose does.
  if (keys.length === 0 && project.networks.default !== undefined) keys.push('default');
  const [primary, ...rest] = keys;
  if (primary === undefined) {
    const result: NetworkingResult = { networkMode: 'none', extraNetworks: {}, links: [] };
    if (service.mac_address !== undefined) result.macAddress = service.mac_address;
    return result;
  }

  const endpoint = (key: string): EndpointSettings => endpointSettings(service, name, service.networks[key], links);
  const primaryName = engineNetworkName(project, primary);
  const extraNetworks: Record<string, EndpointSettings> = {};
  for (const key of rest) extraNetworks[engineNetworkName(project, key)] = endpoint(key);

  const result: NetworkingResult = {
    networkMode: primaryName,
    endpointsConfig: { [primaryName]: endpoint(primary) },
    extraNetworks,
    links,
  };
  const macAddress = service.mac_address ?? service.networks[primary]?.mac_address;
  if (macAddress !== undefined) result.macAddress = macAddress;
  return result;
}

function engineNetworkName(project: Project, key: string): string {
  return project.networks[key]?.name ?? key;
}

function endpointSettings(service: Service, containerName: string, config: ServiceNetwork | undefined, links: string[]): EndpointSettings {
  const out: EndpointSettings = { Aliases: unique([containerName, service.name, ...(config?.aliases ?? [])]) };
  if (links.length > 0) out.Links = [...links];
  if (config === undefined) return out;
  const ipam: NonNullable<EndpointSettings['IPAMConfig']> = {};
  if (config.ipv4_address !== undefined) ipam.IPv4Address = config.ipv4_address;
  if (config.ipv6_address !== undefined) ipam.IPv6Address = config.ipv6_address;
  if (config.link_local_ips !== undefined && config.link_local_ips.length > 0) ipam.LinkLocalIPs = [...config.link_local_ips];
  if (Object.keys(ipam).length > 0) out.IPAMConfig = ipam;
  // Engines below API 1.44 ignore an endpoint MAC (the container-level one is used for the primary
  // network); newer engines honour it, so it is passed on.
  if (config.mac_address !== undefined) out.MacAddress = config.mac_address;
  if (config.driver_opts !== undefined && Object.keys(config.driver_opts).length > 0) out.DriverOpts = { ...config.driver_opts };
  // gw_priority (API 1.48) and interface_name (API 1.51) do not exist at API 1.41: not sent.
  return out;
}

/**
 * `links: [svc[:alias]]` -> `<container>:<alias>` for each container of svc, plus the container's
 * own name and its name without the project prefix (`svc-1`), as Compose v1's _get_links does;
 * `external_links: [name[:alias]]` -> `<name>:<alias>`.
 */
function legacyLinks(project: Project, service: Service, names: ContainerNamesOf): string[] {
  const out: string[] = [];
  for (const link of service.links) {
    const [target = '', alias = target] = splitOnce(link);
    for (const container of names(target)) {
      out.push(`${container}:${alias}`, `${container}:${container}`);
      const prefix = `${project.name}-`;
      if (container.startsWith(prefix)) out.push(`${container}:${container.slice(prefix.length)}`);
    }
  }
  for (const link of service.external_links) {
    const [target = '', alias = target] = splitOnce(link);
    out.push(`${target}:${alias}`);
  }
  return unique(out);
}

/** The engine refuses links with a network stack it does not own (host, none, container:x). */
function linksAllowed(networkMode: string): boolean {
  return networkMode !== 'host' && networkMode !== 'none' && !networkMode.startsWith('container:');
}

function splitOnce(value: string): [string] | [string, string] {
  const colon = value.indexOf(':');
  return colon < 0 ? [value] : [value.slice(0, colon), value.slice(colon + 1)];
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
