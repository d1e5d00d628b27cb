// Registry authentication: the distribution spec's token flow (docs "Token Authentication
// Specification") and plain Basic. A 401 carries `WWW-Authenticate: Bearer realm=…,service=…,
// scope=…`; we GET the realm with service and scope (anonymously or with Basic credentials),
// and send the returned token as `Authorization: Bearer …`. Tokens are cached per registry,
// scope and user until shortly before they expire, so parallel layer downloads share one.
import { systemError, EngineError } from '../../../core/errors.ts';

export interface Credentials {
  username?: string;
  password?: string;
  /** Refresh token from `docker login` to an OAuth-capable registry (X-Registry-Auth identitytoken). */
  identityToken?: string;
  /** Pre-issued bearer token (X-Registry-Auth registrytoken). */
  registryToken?: string;
}

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses a WWW-Authenticate header (RFC 7235 auth-params, quoted or token values). Only the
 * first challenge matters in practice; registries send one. */
export function parseChallenge(header: string): Challenge | undefined {
  const m = /^\s*([A-Za-z][A-Za-z0-9_-]*)\s*(.*)$/s.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /([A-Za-z0-9_.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?\s*/gy;
  const rest = m[2];
  re.lastIndex = 0;
  let p: RegExpExecArray | null;
  while (re.lastIndex < rest.length && (p = re.exec(rest)) !== null) {
    params[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3];
  }
  return { scheme: m[1].toLowerCase(), params };
}

interface CachedAuth {
  header: string;
  expiresAt: number;
}

const DEFAULT_TOKEN_LIFETIME_S = 60; // the token spec's default when expires_in is absent
const EXPIRY_MARGIN_MS = 5_000;

export function basicHeader(creds: Credentials): string | undefined {
  if (creds.username === undefined) return undefined;
  return 'Basic ' + Buffer.from(`${creds.username}:${creds.password ?? ''}`).toString('base64');
}

export class TokenCache {
  private readonly entries = new Map<string, CachedAuth>();
  private readonly inflight = new Map<string, Promise<string>>();
  private readonly fetchImpl: typeof fetch;
  private readonly userAgent: string;

  constructor(fetchImpl: typeof fetch, userAgent: string) {
    this.fetchImpl = fetchImpl;
    this.userAgent = userAgent;
  }

  private key(host: string, scope: string, creds: Credentials | undefined): string {
    return `${host}\n${scope}\n${creds?.username ?? ''}`;
  }

  /** The Authorization header to send proactively, if an earlier challenge taught us one. */
  cached(host: string, scope: string, creds: Credentials | undefined): string | undefined {
    const entry = this.entries.get(this.key(host, scope, creds));
    if (!entry) return undefined;
    if (Date.now() < entry.expiresAt) return entry.header;
    this.entries.delete(this.key(host, scope, creds));
    return undefined;
  }

  /** Answers a 401 challenge; returns the header to retry with, or undefined if we cannot. */
  async answer(host: string, scope: string, challenge: Challenge, creds: Credentials | undefined, signal?: AbortSignal): Promise<string | undefined> {
    const key = this.key(host, scope, creds);
    if (challenge.scheme === 'basic') {
      const header = basicHeader(creds ?? {});
      if (header) this.entries.set(key, { header, expiresAt: Number.MAX_SAFE_INTEGER });
      return header;
    }
    if (challenge.scheme !== 'bearer') return undefined;
    if (creds?.registryToken) return `Bearer ${creds.registryToken}`;
    // Concurrent requests hitting the same challenge share one token request.
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.fetchToken(challenge, scope, creds, signal).then(({ token, lifetimeS }) => {
        const header = `Bearer ${token}`;
        this.entries.set(key, { header, expiresAt: Date.now() + lifetimeS * 1000 - EXPIRY_MARGIN_MS });
        return header;
      });
      this.inflight.set(key, pending);
      pending.finally(() => this.inflight.delete(key)).catch(() => {});
    }
    return pending;
  }

  private async fetchToken(challenge: Challenge, scope: string, creds: Credentials | undefined, signal?: AbortSignal): Promise<{ token: string; lifetimeS: number }> {
    const realm = challenge.params.realm;
    if (!realm) throw systemError('registry sent a Bearer challenge without a realm');
    const url = new URL(realm);
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    // Our scope names what we need; a challenge may add others (e.g. for cross-repo mounts).
    const scopes = new Set([scope, ...(challenge.params.scope ? challenge.params.scope.split(' ') : [])].filter(Boolean));
    for (const s of scopes) url.searchParams.append('scope', s);
    const headers: Record<string, string> = { 'User-Agent': this.userAgent };
    let init: RequestInit = { headers, signal };
    if (creds?.identityToken) {
      // OAuth2 refresh-token grant, as docker login stores it (token spec "OAuth2 Token").
      const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: creds.identityToken, service: challenge.params.service ?? '', scope: [...scopes].join(' '), client_id: 'berth' });
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      init = { method: 'POST', headers, body, signal };
    } else {
      const basic = creds ? basicHeader(creds) : undefined;
      if (basic) {
        headers.Authorization = basic;
        if (creds?.username) url.searchParams.set('account', creds.username);
      }
    }
    let res: Response;
    try {
      res = await this.fetchImpl(url, init);
    } catch (error) {
      throw systemError(`failed to fetch registry token from ${url.origin}: ${(error as Error).message}`, error);
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw new EngineError('forbidden', 'unauthorized: incorrect username or password');
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw systemError(`failed to fetch registry token from ${url.origin}: received unexpected HTTP status: ${res.status} ${res.statusText}`);
    }
    const json = (await res.json()) as { token?: string; access_token?: string; expires_in?: number };
    const token = json.token ?? json.access_token;
    if (!token) throw systemError(`registry token endpoint ${url.origin} returned no token`);
    const lifetimeS = typeof json.expires_in === 'number' && json.expires_in > 0 ? json.expires_in : DEFAULT_TOKEN_LIFETIME_S;
    return { token, lifetimeS };
  }
}
