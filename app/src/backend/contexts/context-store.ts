// The docker CLI's context store, read and written the way the CLI (docker/cli context/store)
// keeps it, so every context is an engine in Berth and an engine added in Berth is a context the
// CLI can `docker context use`:
//   $DOCKER_CONFIG (else ~/.docker)/contexts/meta/<sha256 hex of the name>/meta.json
//     {"Name","Metadata":{"Description"},"Endpoints":{"docker":{"Host","SkipTLSVerify"}}}
//   $DOCKER_CONFIG/contexts/tls/<same id>/docker/{ca,cert,key}.pem   (dirs 0700, files 0600)
// The current context is resolved as the CLI does without --context/-H: DOCKER_HOST set → the
// `default` context; else DOCKER_CONTEXT; else config.json's currentContext; else `default`.
// `default` is not stored: it is DOCKER_HOST (else unix:///var/run/docker.sock) with the
// DOCKER_TLS_VERIFY / DOCKER_CERT_PATH material.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomically } from '../atomic-json-file.ts';
import type { TlsMaterial } from '../engine-connection.ts';
import { dockerConfigDir } from '../registry-credentials/docker-config-file.ts';

export { dockerConfigDir };

export const DEFAULT_CONTEXT = 'default';
const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';
const TLS_FILES = ['ca', 'cert', 'key'] as const;

export interface DockerContext {
  name: string;
  description: string;
  /** The docker endpoint's Host: unix://…, tcp://…, ssh://… */
  host: string;
  /** TLS material when the context has any (files or SkipTLSVerify); verify = !SkipTLSVerify. */
  tls?: TlsMaterial;
}

/** The store's directory name for a context: the SHA-256 hex of its name. */
export function contextId(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

export function contextMetaPath(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(dockerConfigDir(env), 'contexts', 'meta', contextId(name), 'meta.json');
}

export function contextTlsDir(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(dockerConfigDir(env), 'contexts', 'tls', contextId(name), 'docker');
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function tlsFrom(dir: string, verify: boolean, always: boolean): TlsMaterial | undefined {
  const material: TlsMaterial = { verify };
  let any = false;
  for (const file of TLS_FILES) {
    const text = readText(join(dir, `${file}.pem`));
    if (text !== undefined) {
      material[file] = text;
      any = true;
    }
  }
  return any || always ? material : undefined;
}

/** The `default` context as the CLI builds it from the environment. */
export function defaultContext(env: NodeJS.ProcessEnv = process.env): DockerContext {
  const host = env.DOCKER_HOST || DEFAULT_DOCKER_HOST;
  const verify = Boolean(env.DOCKER_TLS_VERIFY);
  const certPath = env.DOCKER_CERT_PATH || dockerConfigDir(env);
  // The CLI speaks TLS when DOCKER_TLS_VERIFY (or DOCKER_TLS) is set; then it reads DOCKER_CERT_PATH.
  const tls = verify || env.DOCKER_TLS ? tlsFrom(certPath, verify, true) : undefined;
  return { name: DEFAULT_CONTEXT, description: 'Current DOCKER_HOST based configuration', host, ...(tls ? { tls } : {}) };
}

function parseMeta(text: string, env: NodeJS.ProcessEnv): DockerContext | undefined {
  let raw: { Name?: unknown; Metadata?: { Description?: unknown } | null; Endpoints?: { docker?: { Host?: unknown; SkipTLSVerify?: unknown } | null } | null };
  try {
    raw = JSON.parse(text) as typeof raw;
  } catch {
    return undefined;
  }
  const docker = raw.Endpoints?.docker;
  if (typeof raw.Name !== 'string' || !raw.Name || typeof docker?.Host !== 'string') return undefined;
  const skip = docker.SkipTLSVerify === true;
  const tls = tlsFrom(contextTlsDir(raw.Name, env), !skip, skip);
  const description = typeof raw.Metadata?.Description === 'string' ? raw.Metadata.Description : '';
  return { name: raw.Name, description, host: docker.Host, ...(tls ? { tls } : {}) };
}

/** A stored context by name (`default` from the environment); undefined when there is none. */
export function readContext(name: string, env: NodeJS.ProcessEnv = process.env): DockerContext | undefined {
  if (name === DEFAULT_CONTEXT) return defaultContext(env);
  const text = readText(contextMetaPath(name, env));
  return text === undefined ? undefined : parseMeta(text, env);
}

/** `default` first, then every stored context that has a docker endpoint, by name. A broken
 * meta.json is skipped rather than hiding the others. */
export function listContexts(env: NodeJS.ProcessEnv = process.env): DockerContext[] {
  const metaDir = join(dockerConfigDir(env), 'contexts', 'meta');
  let ids: string[];
  try {
    ids = readdirSync(metaDir);
  } catch {
    ids = [];
  }
  const stored = ids
    .map((id) => readText(join(metaDir, id, 'meta.json')))
    .flatMap((text) => (text === undefined ? [] : [parseMeta(text, env)]))
    .filter((context): context is DockerContext => context !== undefined && context.name !== DEFAULT_CONTEXT)
    .sort((a, b) => a.name.localeCompare(b.name));
  return [defaultContext(env), ...stored];
}

/** The context the CLI would use with no --context and no -H. */
export function currentContextName(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DOCKER_HOST) return DEFAULT_CONTEXT;
  if (env.DOCKER_CONTEXT) return env.DOCKER_CONTEXT;
  const config = readText(join(dockerConfigDir(env), 'config.json'));
  if (config !== undefined) {
    try {
      const current = (JSON.parse(config) as { currentContext?: unknown }).currentContext;
      if (typeof current === 'string' && current) return current;
    } catch {
      // the CLI refuses a broken config.json; Berth falls back to `default`
    }
  }
  return DEFAULT_CONTEXT;
}

export function contextMeta(context: DockerContext): string {
  const skip = context.tls ? !context.tls.verify : false;
  return JSON.stringify({ Name: context.name, Metadata: { Description: context.description }, Endpoints: { docker: { Host: context.host, SkipTLSVerify: skip } } });
}

/**
 * Creates or updates a context (the one writer of the store in Berth: Berth's own `berth` context
 * and engines added in the UI). The TLS folder is replaced by exactly the given material (none:
 * removed). Unchanged meta.json is left alone. Returns the meta.json path.
 */
export function writeContext(context: DockerContext, env: NodeJS.ProcessEnv = process.env): string {
  if (!context.name || context.name === DEFAULT_CONTEXT || !/^[a-zA-Z0-9][a-zA-Z0-9_.+-]*$/.test(context.name)) {
    // The CLI's own rule for context names (and "default" is reserved).
    throw new Error(`"${context.name}" is not a valid context name: letters, digits and _ . + -, starting with a letter or digit, and not "default"`);
  }
  const path = contextMetaPath(context.name, env);
  const content = contextMeta(context);
  // The CLI makes the meta directories 0755 and meta.json 0644 (it names only an address); the TLS
  // directories 0700 and the PEM files 0600 (a private key).
  mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  if (readText(path) !== content) writeFileAtomically(path, content, 0o644);
  const tlsDir = contextTlsDir(context.name, env);
  const files = TLS_FILES.filter((file) => context.tls?.[file] !== undefined);
  if (files.length === 0) {
    rmSync(dirname(tlsDir), { recursive: true, force: true });
    return path;
  }
  mkdirSync(tlsDir, { recursive: true, mode: 0o700 });
  for (const file of TLS_FILES) {
    const text = context.tls?.[file];
    const target = join(tlsDir, `${file}.pem`);
    if (text === undefined) rmSync(target, { force: true });
    else if (readText(target) !== text) writeFileAtomically(target, text, 0o600);
  }
  return path;
}
