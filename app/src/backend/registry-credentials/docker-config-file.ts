// The docker CLI's config.json ($DOCKER_CONFIG/config.json, else ~/.docker/config.json): read for
// its `auths`, `credsStore` and `credHelpers`, and rewritten the way the CLI rewrites it (every
// other key kept as it was, tab-indented, a temp file renamed over it, the old file's mode kept,
// 0600 for a new one, a symlinked config.json updated at its target).
import { mkdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeFileAtomically } from '../atomic-json-file.ts';
import { BackendError } from '../backend-error.ts';

/** An `auths` entry as the file has it: `auth` is base64 of "user:password". */
export interface FileAuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
  email?: string;
  [other: string]: unknown;
}

export interface DockerConfigFile {
  path: string;
  /** The whole parsed object, so a rewrite keeps what Berth does not know about. */
  raw: Record<string, unknown>;
  auths: Record<string, FileAuthEntry>;
  credsStore?: string;
  credHelpers: Record<string, string>;
}

/** Where the CLI keeps its config: DOCKER_CONFIG, else HOME/.docker. */
export function dockerConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker');
}

function objectOr(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : {};
}

export function readDockerConfig(env: NodeJS.ProcessEnv): DockerConfigFile {
  const path = join(dockerConfigDir(env), 'config.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { path, raw: {}, auths: {}, credHelpers: {} };
    throw new BackendError(500, `could not read ${path}: ${(error as Error).message}`);
  }
  let raw: Record<string, unknown>;
  try {
    // An empty file is what the CLI treats as an empty config too.
    raw = text.trim() === '' ? {} : objectOr(JSON.parse(text));
  } catch (error) {
    throw new BackendError(500, `${path} is not valid JSON (${(error as Error).message}): fix or remove it; the docker CLI cannot read it either`);
  }
  const auths: Record<string, FileAuthEntry> = {};
  for (const [key, entry] of Object.entries(objectOr(raw.auths))) auths[key] = objectOr(entry) as FileAuthEntry;
  const credHelpers: Record<string, string> = {};
  for (const [key, helper] of Object.entries(objectOr(raw.credHelpers))) if (typeof helper === 'string' && helper) credHelpers[key] = helper;
  const credsStore = typeof raw.credsStore === 'string' && raw.credsStore ? raw.credsStore : undefined;
  return { path, raw, auths, credsStore, credHelpers };
}

/** Writes `auths` back into the file, every other key untouched. */
export function writeDockerConfigAuths(config: DockerConfigFile, auths: Record<string, FileAuthEntry>): void {
  const value = { ...config.raw, auths };
  let target = config.path;
  let mode = 0o600;
  try {
    target = realpathSync(config.path);
    mode = statSync(target).mode & 0o777;
  } catch {
    // No file yet (or a dangling link): a new private file where the path points.
  }
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  try {
    writeFileAtomically(target, JSON.stringify(value, null, '\t'), mode);
  } catch (error) {
    throw new BackendError(500, `could not write ${config.path}: ${(error as Error).message}`);
  }
}

/** The user name and password of an entry: `auth` (base64 "user:password") wins, as in the CLI. */
export function decodeFileAuth(key: string, path: string, entry: FileAuthEntry): { username?: string; password?: string } {
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw new BackendError(500, `the "auth" of "${key}" in ${path} is not base64 of user:password: sign in again, or remove that entry`);
    // The CLI trims NULs some old writers left after the password.
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1).replace(/^\0+|\0+$/g, '') };
  }
  return {
    username: typeof entry.username === 'string' && entry.username ? entry.username : undefined,
    password: typeof entry.password === 'string' && entry.password ? entry.password : undefined,
  };
}

export function encodeFileAuth(username: string, password: string): string {
  return Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
}
