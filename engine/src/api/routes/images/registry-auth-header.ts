// X-Registry-Auth: base64url (or standard base64) JSON of {username,password,...} or
// {identitytoken}; clients send "e30=" ({}) when they have nothing.
import { invalid } from '../../../core/errors.ts';

export interface RegistryAuth {
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
  serveraddress?: string;
}

export function decodeRegistryAuth(header: string | string[] | undefined): RegistryAuth | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8'));
  } catch {
    throw invalid('invalid X-Registry-Auth header: not base64-encoded JSON');
  }
  if (parsed === null || typeof parsed !== 'object') throw invalid('invalid X-Registry-Auth header: not a JSON object');
  const auth = parsed as RegistryAuth;
  return auth.username || auth.password || auth.identitytoken || auth.registrytoken ? auth : undefined;
}
