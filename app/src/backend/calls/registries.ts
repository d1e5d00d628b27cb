// Registry sign-in, sign-out and the list of registries signed in (DesktopApi "registry sign-in"),
// plus the X-Registry-Auth header pulls and pushes send. Credentials are checked by the engine
// (POST /auth, Docker API "Check auth configuration"), then kept where the docker CLI keeps them
// (registry-credentials/): Berth has no credential file of its own.
import type { RegistryLoginList } from '../../common/desktop-api.ts';
import { requireObject } from '../argument-checks.ts';
import type { BackendContext } from '../backend-context.ts';
import { BackendError, badRequest } from '../backend-error.ts';
import { engineJson } from '../engine-request.ts';
import { dockerConfigDir } from '../registry-credentials/docker-config-file.ts';
import type { RegistryAuthConfig } from '../registry-credentials/registry-credentials.ts';
import { keyForLogin, keyForReference, keysForLogout } from '../registry-credentials/registry-key.ts';
import { join } from 'node:path';

/** "{}": no credentials (the API wants the header on push; an empty object means anonymous). */
const ANONYMOUS_AUTH = Buffer.from('{}').toString('base64url');

/** X-Registry-Auth as the CLI sends it: base64url JSON, empty fields left out. */
export function encodeRegistryAuth(auth: RegistryAuthConfig | undefined): string {
  if (!auth) return ANONYMOUS_AUTH;
  const body = Object.fromEntries(Object.entries(auth).filter(([, value]) => typeof value === 'string' && value !== ''));
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

/** The header for a pull or push of `reference`, and whether it carries credentials. */
export async function registryAuthFor(context: BackendContext, reference: string): Promise<{ header: string; key: string; signedIn: boolean }> {
  const auth = await context.registryCredentials.forReference(reference);
  return { header: encodeRegistryAuth(auth), key: keyForReference(reference), signedIn: auth !== undefined };
}

export async function registryLogins(context: BackendContext): Promise<RegistryLoginList> {
  const { logins, problems } = await context.registryCredentials.list();
  return { logins, problems, configPath: join(dockerConfigDir(context.registryCredentials.env), 'config.json') };
}

export async function registrySignIn(context: BackendContext, request: unknown): Promise<{ serverAddress: string; status: string; store: string }> {
  const body = requireObject(request, 'sign-in request');
  const key = keyForLogin(body.serverAddress);
  const username = typeof body.username === 'string' ? body.username.trim() : body.username;
  if (typeof username !== 'string' || username === '') throw badRequest('username is required');
  // Basic auth and config.json's "user:password" both split at the first ':'.
  if (username.includes(':')) throw badRequest('username must not contain ":"');
  const password = body.password;
  if (typeof password !== 'string' || password === '') throw badRequest('password is required');
  let answer: { Status?: string; IdentityToken?: string } | undefined;
  try {
    answer = await engineJson(context.target.docker, { method: 'POST', path: '/auth', body: { username, password, serveraddress: key } });
  } catch (error) {
    if (error instanceof BackendError && error.statusCode === 401) {
      throw new BackendError(401, `${key} refused the sign-in: ${error.message}`);
    }
    throw error;
  }
  // An engine that got an identity token from the registry hands it back; the CLI then keeps the
  // token instead of the password.
  const identitytoken = answer?.IdentityToken || undefined;
  const store = await context.registryCredentials.store(key, { username, password: identitytoken ? undefined : password, identitytoken });
  return { serverAddress: key, status: answer?.Status || 'Login Succeeded', store };
}

export async function registrySignOut(context: BackendContext, serverAddress: unknown): Promise<{ removed: string[] }> {
  const { removed, problems } = await context.registryCredentials.erase(keysForLogout(serverAddress));
  if (removed.length === 0 && problems.length > 0) throw new BackendError(502, `could not remove the credentials: ${problems.join('; ')}`);
  return { removed };
}
