// Docker Registry HTTP API v2 / OCI distribution-spec client over Node's fetch (undici).
// Pull side only: manifests (with platform selection) and blobs. Auth and formats live in the
// sibling files; this file owns endpoints, redirects and fallbacks.
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { invalid, systemError } from '../../../core/errors.ts';
import type { Platform, ResolvedImage } from '../../../core/oci-types.ts';
import type { ParsedReference } from '../../../core/reference.ts';
import { parseChallenge, TokenCache } from './auth.ts';
import type { Credentials } from './auth.ts';
import { MANIFEST_ACCEPT, MAX_MANIFEST_BYTES, parseManifest, sha256Digest, verifyManifestDigest } from './manifest.ts';
import type { ParsedManifest } from './manifest.ts';
import { defaultPlatform, selectManifest } from './platform-select.ts';
import { blobError, manifestError, RegistryError, transportError } from './registry-errors.ts';
import { nodeBodyOf, nodeHttpFetch } from './node-http-fetch.ts';

export type { Credentials } from './auth.ts';

export interface RegistryClientOptions {
  /** Registries spoken to over plain HTTP (dockerd --insecure-registry): `host`, `host:port` or
   * an IPv4 CIDR. Loopback registries are always plain HTTP, as in dockerd. */
  insecureRegistries?: string[];
  /** Pull-through mirrors for Docker Hub (dockerd --registry-mirror), full URLs, tried in order. */
  mirrors?: string[];
  /** Stored credentials per registry domain (`docker.io`, `localhost:5000`). */
  credentials?: (domain: string) => Credentials | undefined;
  userAgent?: string;
  fetch?: typeof fetch;
}

export interface CallOptions {
  /** Credentials for this call (X-Registry-Auth); override the stored ones. */
  credentials?: Credentials;
  signal?: AbortSignal;
}

export interface FetchedManifest {
  digest: string;
  mediaType: string;
  bytes: Buffer;
  parsed: ParsedManifest;
}

export type { ResolvedImage };

const MAX_REDIRECTS = 10;
const MAX_INDEX_DEPTH = 2; // an index may point at an index once; deeper is abuse

function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

function inCidr(hostname: string, cidr: string): boolean {
  const [net, bitsText] = cidr.split('/');
  const ip = ipv4ToInt(hostname);
  const base = ipv4ToInt(net);
  const bits = Number(bitsText);
  if (ip === undefined || base === undefined || !(bits >= 0 && bits <= 32)) return false;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (ip & mask) === (base & mask);
}

export class RegistryClient {
  private readonly insecure: string[];
  private readonly mirrors: URL[];
  private readonly credentialsFor: (domain: string) => Credentials | undefined;
  private readonly userAgent: string;
  private readonly fetchImpl: typeof fetch;
  private readonly tokens: TokenCache;

  constructor(options: RegistryClientOptions = {}) {
    this.insecure = options.insecureRegistries ?? [];
    this.mirrors = (options.mirrors ?? []).map((m) => new URL(m.endsWith('/') ? m : m + '/'));
    this.credentialsFor = options.credentials ?? (() => undefined);
    this.userAgent = options.userAgent ?? 'berth/0.1';
    this.fetchImpl = options.fetch ?? (nodeHttpFetch as typeof fetch);
    this.tokens = new TokenCache(this.fetchImpl, this.userAgent);
  }

  /** Whether `host` (`name[:port]`) is spoken to over plain HTTP. */
  isInsecure(host: string): boolean {
    const hostname = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
    if (isLoopback(hostname)) return true;
    return this.insecure.some((entry) => entry === host || entry === hostname || (entry.includes('/') && inCidr(hostname, entry)));
  }

  /** Base URLs to try for a reference, in order: Hub mirrors first, then the registry itself. */
  endpoints(ref: ParsedReference): URL[] {
    const host = ref.registryHost();
    const own = new URL(`${this.isInsecure(host) ? 'http' : 'https'}://${host}/`);
    return ref.domain === 'docker.io' ? [...this.mirrors, own] : [own];
  }

  /** Fetches one manifest by tag or digest, verifying the bytes when asked by digest. */
  async getManifest(ref: ParsedReference, tagOrDigest: string, options: CallOptions = {}): Promise<FetchedManifest> {
    const res = await this.tryEndpoints(ref, `manifests/${tagOrDigest}`, { Accept: MANIFEST_ACCEPT }, options, (r) =>
      manifestError(r, ref.familiarName(), ref.familiarRepository()),
    );
    const declared = Number(res.headers.get('content-length') ?? '0');
    if (declared > MAX_MANIFEST_BYTES) {
      await res.body?.cancel();
      throw invalid(`manifest for ${ref.familiarName()} is too large (${declared} bytes)`);
    }
    const bytes = Buffer.from(await res.arrayBuffer());
    if (bytes.length > MAX_MANIFEST_BYTES) throw invalid(`manifest for ${ref.familiarName()} is too large (${bytes.length} bytes)`);
    const byDigest = tagOrDigest.includes(':');
    if (byDigest) verifyManifestDigest(tagOrDigest, bytes);
    const parsed = parseManifest(bytes, res.headers.get('content-type'));
    return { digest: byDigest ? tagOrDigest : sha256Digest(bytes), mediaType: parsed.mediaType, bytes, parsed };
  }

  /** Resolves a reference to one image manifest for `platform` (default: this host's). */
  async resolve(ref: ParsedReference, options: CallOptions & { platform?: Platform } = {}): Promise<ResolvedImage> {
    const top = await this.getManifest(ref, ref.digest ?? ref.tag ?? 'latest', options);
    let current = top;
    for (let depth = 0; current.parsed.kind === 'index'; depth++) {
      if (depth >= MAX_INDEX_DEPTH) throw invalid(`manifest for ${ref.familiarName()}: index nesting too deep`);
      const entry = selectManifest(current.parsed.index, options.platform ?? defaultPlatform());
      const child = await this.getManifest(ref, entry.digest, options);
      if (child.bytes.length !== entry.size) {
        throw invalid(`manifest ${entry.digest}: size mismatch: index says ${entry.size} bytes, registry sent ${child.bytes.length}`);
      }
      current = child;
    }
    if (current.parsed.kind !== 'manifest') throw systemError('unreachable: manifest kind');
    return {
      digest: top.digest,
      mediaType: top.mediaType,
      bytes: top.bytes,
      manifestDigest: current.digest,
      manifestMediaType: current.mediaType,
      manifestBytes: current.bytes,
      manifest: current.parsed.manifest,
    };
  }

  /** Opens a blob's byte stream. The caller verifies digest and size while consuming it (the
   * ContentStore does), because only the bytes themselves can be trusted. */
  async fetchBlob(ref: ParsedReference, descriptor: { digest: string }, options: CallOptions = {}): Promise<Readable> {
    const res = await this.tryEndpoints(ref, `blobs/${descriptor.digest}`, {}, options, (r) => blobError(r, descriptor.digest));
    const node = nodeBodyOf(res);
    if (node) return node;
    if (!res.body) return Readable.from([]);
    return Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>);
  }

  /** Runs one GET against each endpoint until one answers 2xx. Mirror failures fall through to
   * the next endpoint (dockerd does the same); the last endpoint's error is what the user sees. */
  private async tryEndpoints(
    ref: ParsedReference,
    subPath: string,
    headers: Record<string, string>,
    options: CallOptions,
    toError: (res: Response) => Promise<Error>,
  ): Promise<Response> {
    const endpoints = this.endpoints(ref);
    let lastError: unknown;
    for (const [i, base] of endpoints.entries()) {
      const last = i === endpoints.length - 1;
      try {
        const res = await this.send(base, ref, subPath, headers, options);
        if (res.ok) return res;
        throw await toError(res);
      } catch (error) {
        if (options.signal?.aborted) throw error;
        lastError = error;
        if (last) break;
      }
    }
    throw lastError;
  }

  /** One authenticated GET: sends a cached token if we have one; on a 401 challenge obtains one
   * and retries once. */
  private async send(base: URL, ref: ParsedReference, subPath: string, headers: Record<string, string>, options: CallOptions): Promise<Response> {
    const url = new URL(`${base.href}v2/${ref.path}/${subPath}`);
    const scope = `repository:${ref.path}:pull`;
    const creds = options.credentials ?? this.credentialsFor(ref.domain);
    let auth = this.tokens.cached(base.host, scope, creds);
    for (let attempt = 0; ; attempt++) {
      const res = await this.follow(url, { ...headers, 'User-Agent': this.userAgent, ...(auth ? { Authorization: auth } : {}) }, options.signal);
      if (res.status !== 401 || attempt > 0) return res;
      const challenge = parseChallenge(res.headers.get('www-authenticate') ?? '');
      if (!challenge) return res;
      const next = await this.tokens.answer(base.host, scope, challenge, creds, options.signal);
      if (!next) return res;
      await res.body?.cancel();
      auth = next;
    }
  }

  /** GET following redirects by hand, so the Authorization header never leaves the registry's
   * host: blob GETs commonly redirect to a CDN or object store with a pre-signed URL, which
   * must not receive our token (distribution spec "Pulling blobs"; cf. CVE-2020-15157 class). */
  private async follow(url: URL, headers: Record<string, string>, signal: AbortSignal | undefined): Promise<Response> {
    let current = url;
    let sameHost = true;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const sent = { ...headers };
      if (!sameHost) delete sent.Authorization;
      let res: Response;
      try {
        res = await this.fetchImpl(current, { headers: sent, redirect: 'manual', signal });
      } catch (error) {
        throw transportError(current.href, error);
      }
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return res;
      await res.body?.cancel();
      const next = new URL(location, current);
      if (next.host !== url.host || next.protocol !== url.protocol) sameHost = false;
      current = next;
    }
    throw new RegistryError('system', 0, `stopped after ${MAX_REDIRECTS} redirects fetching ${url.href}`);
  }
}
