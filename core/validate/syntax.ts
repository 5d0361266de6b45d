// The grammars of Compose's short syntaxes and scalar units, in one place, so that the schema
// check (which says "this is not a port mapping") and whoever later reads the value (the model
// builder, the consistency rules) agree on what is valid. Every parser returns `undefined`
// for text it does not accept; none of them throws.

export interface PortRange {
  start: number;
  end: number;
}

export type PortProtocol = 'tcp' | 'udp' | 'sctp';

/** `[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`, split into its parts. */
export interface PortMapping {
  hostIp?: string;
  /** Absent (or empty host part, `127.0.0.1::80`) = the engine picks a host port. */
  published?: PortRange;
  target: PortRange;
  protocol: PortProtocol;
}

/** `[SOURCE:]TARGET[:MODE]` split into its parts. */
export interface VolumeMapping {
  source?: string;
  target: string;
  mode?: string;
}

const PROTOCOLS: readonly string[] = ['tcp', 'udp', 'sctp'];

/** A port number 0-65535 written in decimal. */
export function parsePortNumber(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port <= 65535 ? port : undefined;
}

/** `8080` or `8000-8010`. */
export function parsePortRange(text: string): PortRange | undefined {
  const dash = text.indexOf('-');
  if (dash < 0) {
    const port = parsePortNumber(text);
    return port === undefined ? undefined : { start: port, end: port };
  }
  const start = parsePortNumber(text.slice(0, dash));
  const end = parsePortNumber(text.slice(dash + 1));
  if (start === undefined || end === undefined || end < start) return undefined;
  return { start, end };
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
// Loose on purpose: the engine gives the precise complaint; we only catch the shape.
const IPV6 = /^[0-9a-fA-F:.]*:[0-9a-fA-F:.]*(%[\w.-]+)?$/;

export function isIpAddress(text: string): boolean {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return IPV4.test(bare) || (bare.includes(':') && IPV6.test(bare));
}

/**
 * Short port syntax as Docker's nat.ParsePortSpec reads it:
 * `80`, `8000-8010`, `8080:80`, `127.0.0.1:8080:80`, `127.0.0.1::80`, `[::1]:80:80`, `::1:80:80`, `53:53/udp`.
 */
export function parsePortMapping(text: string): PortMapping | undefined {
  let rest = text.trim();
  let protocol: PortProtocol = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    const proto = rest.slice(slash + 1).toLowerCase();
    if (!PROTOCOLS.includes(proto)) return undefined;
    protocol = proto as PortProtocol;
    rest = rest.slice(0, slash);
  }
  const lastColon = rest.lastIndexOf(':');
  const target = parsePortRange(rest.slice(lastColon + 1));
  if (!target) return undefined;
  if (lastColon < 0) return { target, protocol };

  const host = rest.slice(0, lastColon);
  const hostPortOnly = parsePortRange(host);
  if (hostPortOnly) return { published: hostPortOnly, target, protocol };

  const ipEnd = host.lastIndexOf(':');
  if (ipEnd < 0) return undefined;
  const hostIp = host.slice(0, ipEnd);
  const hostPort = host.slice(ipEnd + 1);
  if (!isIpAddress(hostIp)) return undefined;
  const mapping: PortMapping = { hostIp: unbracket(hostIp), target, protocol };
  if (hostPort === '') return mapping;
  const published = parsePortRange(hostPort);
  if (!published) return undefined;
  return { ...mapping, published };
}

function unbracket(ip: string): string {
  return ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
}

/** `3000`, `3000-3005`, `80/udp` (an `expose` entry). */
export function isExposeEntry(text: string): boolean {
  const [ports, proto, extra] = text.split('/');
  if (extra !== undefined || ports === undefined) return false;
  if (proto !== undefined && !PROTOCOLS.includes(proto.toLowerCase())) return false;
  return parsePortRange(ports) !== undefined;
}

const VOLUME_MODES: ReadonlySet<string> = new Set([
  'rw', 'ro', 'z', 'Z', 'nocopy',
  'shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate',
  'cached', 'delegated', 'consistent',
]);

const WINDOWS_DRIVE = /^[a-zA-Z]:[\\/]/;

/** An absolute container path: POSIX `/x`, a Windows drive path or a named pipe. */
export function isAbsoluteTarget(path: string): boolean {
  return path.startsWith('/') || WINDOWS_DRIVE.test(path) || path.startsWith('\\\\');
}

/** Splits on `:` but keeps Windows drive letters (`C:\data`) in one piece. */
function splitVolume(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    const isDriveColon = char === ':' && current.length === 1 && /[a-zA-Z]/.test(current) && /[\\/]/.test(text[i + 1] ?? '');
    if (char === ':' && !isDriveColon) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

/** Short volume syntax: `TARGET`, `SOURCE:TARGET` or `SOURCE:TARGET:MODE` (MODE: `ro`, `rw,z`, ...). */
export function parseVolumeMapping(text: string): VolumeMapping | undefined {
  const parts = splitVolume(text);
  if (parts.length > 3) return undefined;
  if (parts.length === 1) {
    const target = parts[0] ?? '';
    return isAbsoluteTarget(target) ? { target } : undefined;
  }
  const [source = '', target = '', mode] = parts;
  if (source === '' || !isAbsoluteTarget(target)) return undefined;
  if (mode !== undefined && !mode.split(',').every((m) => VOLUME_MODES.has(m))) return undefined;
  return mode === undefined ? { source, target } : { source, target, mode };
}

/** A volume source that names a top-level volume rather than a host path. */
export function isNamedVolumeSource(source: string): boolean {
  return !(source.startsWith('/') || source.startsWith('.') || source.startsWith('~') || WINDOWS_DRIVE.test(source) || source.startsWith('\\\\') || source.includes('/'));
}

const DURATION_UNITS: Record<string, number> = {
  ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000,
};
const DURATION = /^((\d+(\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h|d|w))+$/;
const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h|d|w)/g;

/**
 * Durations as compose-go reads them (str2duration: Go's syntax plus d and w):
 * `1m30s`, `10s`, `500ms`, `1d`, `0` -> milliseconds.
 */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  if (!DURATION.test(text)) return undefined;
  let total = 0;
  for (const match of text.matchAll(DURATION_PART)) total += Number(match[1]) * (DURATION_UNITS[match[2] ?? ''] ?? 0);
  return total;
}

const SIZE = /^(\d+(?:\.\d+)?) ?([kmgtp])?(i)?(b)?$/i;
const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** Byte sizes as docker's RAMInBytes reads them (`512m`, `1g`, `1.5GB`, `100`): binary units, bytes. */
export function parseByteSize(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? Math.floor(text) : undefined;
  const match = SIZE.exec(text.trim());
  if (!match) return undefined;
  const unit = (match[2] ?? '').toLowerCase();
  return Math.floor(Number(match[1]) * (SIZE_UNITS[unit] ?? 1));
}

const TRUE = new Set(['true', 'yes', 'y', 'on', '1', 't']);
const FALSE = new Set(['false', 'no', 'n', 'off', '0', 'f']);

/**
 * Booleans that arrive as strings after interpolation (`init: ${USE_INIT}`). Accepts Go's
 * strconv.ParseBool words plus YAML 1.1's yes/no/on/off, in any case.
 */
export function parseBoolean(value: string | boolean): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const word = value.trim().toLowerCase();
  if (TRUE.has(word)) return true;
  if (FALSE.has(word)) return false;
  return undefined;
}

/** Whole numbers that arrive as strings after interpolation (`replicas: ${N}`). */
export function parseInteger(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  return /^[+-]?\d+$/.test(value.trim()) ? Number(value) : undefined;
}

/** Decimal numbers that arrive as strings (`cpus: "0.5"`). */
export function parseNumber(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  return /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(value.trim()) ? Number(value) : undefined;
}

/** `no`, `always`, `on-failure`, `on-failure:N`, `unless-stopped`. */
export function isRestartPolicy(text: string): boolean {
  return /^(no|always|unless-stopped|on-failure(:\d+)?)$/.test(text);
}

/** `always`, `never`, `missing`, `build`, `if_not_present`, `daily`, `weekly`, `every_<duration>`. */
export function isPullPolicy(text: string): boolean {
  if (['always', 'never', 'missing', 'build', 'if_not_present', 'daily', 'weekly', 'refresh'].includes(text)) return true;
  return text.startsWith('every_') && parseDuration(text.slice('every_'.length)) !== undefined;
}

/** A file mode written as a string: octal digits (`0440`, `440`, `0o440`). */
export function parseFileMode(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  const match = /^(?:0o?)?([0-7]{1,4})$/.exec(value.trim());
  return match ? parseInt(match[1] ?? '', 8) : undefined;
}
