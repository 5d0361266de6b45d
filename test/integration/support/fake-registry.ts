// A tiny registry (distribution API v2, pull and push) on 127.0.0.1, serving images made in memory.
// dockerd treats 127.0.0.0/8 as an insecure registry, so `localhost:<port>/name:tag` pulls over
// plain http with no setup: pull progress and in-stream pull errors are testable without the
// internet or a registry image.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import tar from 'tar-fs';
import { makeTempDir } from './project.js';

export interface FakeRegistry {
  /** `localhost:<port>`: prefix image names with it. */
  host: string;
  /** Every request path, in order: to check what the engine asked for. */
  requests: string[];
  /** Whether `name:tag` has a manifest (added or pushed). */
  hasManifest(name: string, tag: string): boolean;
  /** Adds `name:tag` holding `files` (path -> text) and `cmd`. */
  addImage(name: string, tag: string, image: { files: Record<string, string>; cmd?: string[]; brokenConfig?: boolean }): Promise<void>;
  close(): Promise<void>;
}

const MANIFEST_TYPE = 'application/vnd.docker.distribution.manifest.v2+json';

const sha256 = (data: Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

async function tarOf(files: Record<string, string>): Promise<Buffer> {
  const temp = await makeTempDir(files, 'stack-registry-layer-');
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of tar.pack(temp.dir) as unknown as Readable) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  } finally {
    await temp.remove();
  }
}

export async function startFakeRegistry(): Promise<FakeRegistry> {
  const manifests = new Map<string, Buffer>();
  const blobs = new Map<string, Buffer>();
  const requests: string[] = [];

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    requests.push(`${req.method} ${path}`);
    res.setHeader('Docker-Distribution-API-Version', 'registry/2.0');
    const send = (status: number, body: Buffer | string, type = 'application/json', digest?: string): void => {
      const data = typeof body === 'string' ? Buffer.from(body) : body;
      res.writeHead(status, { 'Content-Type': type, 'Content-Length': data.length, ...(digest ? { 'Docker-Content-Digest': digest } : {}) });
      res.end(req.method === 'HEAD' ? undefined : data);
    };
    const notFound = (code: string): void => send(404, JSON.stringify({ errors: [{ code, message: code.toLowerCase().replace('_', ' ') }] }));
    if (path === '/v2/' || path === '/v2') return send(200, '{}');
    if (req.method === 'POST' || req.method === 'PATCH' || req.method === 'PUT') return receive(req, res, path, send);
    const match = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(path);
    if (!match) return notFound('UNSUPPORTED');
    const [, name, kind, reference] = match as unknown as [string, string, string, string];
    if (kind === 'manifests') {
      const manifest = manifests.get(`${name}:${reference}`) ?? [...manifests.entries()].find(([key, value]) => key.startsWith(`${name}:`) && sha256(value) === reference)?.[1];
      if (!manifest) return notFound('MANIFEST_UNKNOWN');
      return send(200, manifest, MANIFEST_TYPE, sha256(manifest));
    }
    const blob = blobs.get(reference);
    if (!blob) return notFound('BLOB_UNKNOWN');
    return send(200, blob, 'application/octet-stream', reference);
  });
  const uploads = new Map<string, Buffer[]>();
  let nextUpload = 0;
  // Pushes: start an upload, send chunks, close it with the digest, then put the manifest.
  const receive = (req: IncomingMessage, res: ServerResponse, path: string, send: (status: number, body: string, type?: string, digest?: string) => void): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const start = /^\/v2\/(.+)\/blobs\/uploads\/?$/.exec(path);
      if (req.method === 'POST' && start) {
        const id = String(nextUpload++);
        uploads.set(id, [body]);
        res.setHeader('Location', `/v2/${start[1]}/blobs/uploads/${id}`);
        res.setHeader('Range', '0-0');
        res.setHeader('Docker-Upload-UUID', id);
        return send(202, '');
      }
      const upload = /^\/v2\/(.+)\/blobs\/uploads\/([^/]+)$/.exec(path);
      if (upload) {
        const parts = uploads.get(upload[2]!);
        if (!parts) return send(404, JSON.stringify({ errors: [{ code: 'BLOB_UPLOAD_UNKNOWN', message: 'unknown upload' }] }));
        parts.push(body);
        const size = parts.reduce((total, part) => total + part.length, 0);
        res.setHeader('Location', path);
        res.setHeader('Docker-Upload-UUID', upload[2]!);
        res.setHeader('Range', `0-${Math.max(size - 1, 0)}`);
        if (req.method === 'PATCH') return send(202, '');
        const digest = new URL(req.url ?? '', 'http://registry').searchParams.get('digest') ?? '';
        blobs.set(digest, Buffer.concat(parts));
        uploads.delete(upload[2]!);
        res.setHeader('Location', `/v2/${upload[1]}/blobs/${digest}`);
        return send(201, '', 'application/json', digest);
      }
      const manifest = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(path);
      if (req.method === 'PUT' && manifest) {
        manifests.set(`${manifest[1]}:${manifest[2]}`, body);
        res.setHeader('Location', path);
        return send(201, '', 'application/json', sha256(body));
      }
      return send(404, JSON.stringify({ errors: [{ code: 'UNSUPPORTED', message: 'unsupported' }] }));
    });
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    host: `localhost:${port}`,
    requests,
    hasManifest: (name, tag) => manifests.has(`${name}:${tag}`),
    async addImage(name, tag, image) {
      const layerTar = await tarOf(image.files);
      const layer = gzipSync(layerTar);
      const config = Buffer.from(
        JSON.stringify({
          architecture: 'amd64',
          os: 'linux',
          config: { Cmd: image.cmd ?? ['/bin/sh'], Labels: { 'dev.stack.test.registry': 'fake' } },
          rootfs: { type: 'layers', diff_ids: [sha256(layerTar)] },
        }),
      );
      const configDigest = sha256(config);
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MANIFEST_TYPE,
          config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.length, digest: configDigest },
          layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: layer.length, digest: sha256(layer) }],
        }),
      );
      // A missing config blob fails after the engine has started its progress stream, so the
      // error arrives inside a 200 response, as registry failures do in real life.
      if (!image.brokenConfig) blobs.set(configDigest, config);
      blobs.set(sha256(layer), layer);
      manifests.set(`${name}:${tag}`, manifest);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
