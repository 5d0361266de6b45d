// The custom `format`s the schema uses, with the words to explain a failure. ajv checks them on
// strings only, so `{type: [integer, string], format: int-string}` accepts 3 and "3" and rejects
// "three". Editors do not know these formats and ignore them: the schema stays usable there.
import {
  isExposeEntry,
  isPullPolicy,
  isRestartPolicy,
  parseBoolean,
  parseByteSize,
  parseDuration,
  parseFileMode,
  parseInteger,
  parseNumber,
  parsePortMapping,
  parsePortNumber,
  parsePortRange,
  parseVolumeMapping,
} from './syntax.js';

export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

export interface FormatSpec {
  /** What a valid value is, as a noun phrase: "a duration". */
  noun: string;
  /** The expected syntax, shown in parentheses after a rejected value. */
  expected: string;
  hint?: string;
  /** JSON types this format stands for when naming what a key accepts (int-string covers integer). */
  covers: readonly JsonType[];
  test(value: string): boolean;
}

const DURATION_HINT = 'durations are numbers with units ns, us, ms, s, m, h, d, w: write "10s" rather than "10"';

export const FORMATS: Readonly<Record<string, FormatSpec>> = {
  'int-string': {
    noun: 'a whole number',
    expected: 'digits, e.g. 3',
    covers: ['integer', 'string'],
    test: (v) => parseInteger(v) !== undefined,
  },
  'number-string': {
    noun: 'a number',
    expected: 'e.g. 0.5 or 2',
    covers: ['number', 'integer', 'string'],
    test: (v) => parseNumber(v) !== undefined,
  },
  'bool-string': {
    noun: 'true or false',
    expected: 'true or false',
    covers: ['boolean', 'string'],
    test: (v) => parseBoolean(v) !== undefined,
  },
  duration: {
    noun: 'a duration',
    expected: 'e.g. 10s, 1m30s or 500ms',
    hint: DURATION_HINT,
    covers: ['string'],
    test: (v) => parseDuration(v) !== undefined,
  },
  'int-or-duration': {
    noun: 'a number of microseconds or a duration',
    expected: 'e.g. 950000 or 950ms',
    hint: DURATION_HINT,
    covers: ['integer', 'string'],
    test: (v) => parseInteger(v) !== undefined || parseDuration(v) !== undefined,
  },
  'byte-size': {
    noun: 'a size',
    expected: 'a number of bytes or e.g. 512m, 1g, 1.5GB',
    hint: 'sizes are a number with an optional unit b, k, m, g, t (binary multiples): 512m, 1g, 1.5GB',
    covers: ['integer', 'number', 'string'],
    test: (v) => parseByteSize(v) !== undefined,
  },
  'port-mapping': {
    noun: 'a port mapping',
    expected: '[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]',
    hint: 'e.g. "8080:80", "127.0.0.1:8080:80", "53:53/udp", "8000-8010:8000-8010" or "80"',
    covers: ['string'],
    test: (v) => parsePortMapping(v) !== undefined,
  },
  'port-number': {
    noun: 'a port number',
    expected: '1-65535',
    covers: ['integer', 'string'],
    test: (v) => {
      const port = parsePortNumber(v);
      return port !== undefined && port > 0;
    },
  },
  'port-range': {
    noun: 'a port or port range',
    expected: 'e.g. 8080 or 8000-8010',
    covers: ['integer', 'string'],
    test: (v) => parsePortRange(v) !== undefined,
  },
  'port-protocol': {
    noun: 'a protocol',
    expected: 'tcp, udp or sctp',
    covers: ['string'],
    test: (v) => ['tcp', 'udp', 'sctp'].includes(v.toLowerCase()),
  },
  expose: {
    noun: 'a port to expose',
    expected: 'PORT[-PORT][/PROTOCOL], e.g. 3000 or 5000-5010/udp',
    covers: ['integer', 'string'],
    test: isExposeEntry,
  },
  'volume-mapping': {
    noun: 'a volume mapping',
    expected: '[SOURCE:]TARGET[:MODE], TARGET an absolute path in the container',
    hint: 'e.g. "./data:/var/lib/data", "db-data:/var/lib/postgresql/data" or "/cache:/cache:ro"',
    covers: ['string'],
    test: (v) => parseVolumeMapping(v) !== undefined,
  },
  'restart-policy': {
    noun: 'a restart policy',
    expected: 'no, always, on-failure[:MAX_RETRIES] or unless-stopped',
    covers: ['string'],
    test: isRestartPolicy,
  },
  'pull-policy': {
    noun: 'a pull policy',
    expected: 'always, never, missing, build, daily, weekly or every_<duration>',
    covers: ['string'],
    test: isPullPolicy,
  },
  'file-mode': {
    noun: 'a file mode',
    expected: 'octal digits, e.g. 0440',
    covers: ['integer', 'string'],
    test: (v) => parseFileMode(v) !== undefined,
  },
  'device-count': {
    noun: 'a device count',
    expected: 'a number or "all"',
    covers: ['integer', 'string'],
    test: (v) => v === 'all' || parseInteger(v) !== undefined,
  },
  'container-name': {
    noun: 'a container name',
    expected: 'letters, digits, "_", "." and "-", starting with a letter or digit',
    covers: ['string'],
    test: (v) => /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(v),
  },
  'project-name': {
    noun: 'a project name',
    expected: 'lowercase letters, digits, "-" and "_", starting with a letter or digit',
    covers: ['string'],
    test: (v) => /^[a-z0-9][a-z0-9_-]*$/.test(v),
  },
  'env-assignment': {
    noun: 'an environment entry',
    expected: 'KEY=VALUE, or KEY to pass the variable through',
    covers: ['string'],
    test: (v) => /^[^=\s][^=]*(=[\s\S]*)?$/.test(v),
  },
  'extra-host': {
    noun: 'a host entry',
    expected: 'HOST:IP or HOST=IP',
    hint: 'e.g. "db.local:10.0.0.5" or "host.docker.internal=host-gateway"',
    covers: ['string'],
    test: (v) => /^[^:=\s]+[:=]\S+$/.test(v),
  },
};
