// X-Registry-Auth: base64url (or standard base64) JSON of {username,password,...} or
// {identitytoken}; clients send "e30=" ({}) when they have nothing.
import * as v from 'valibot';
import { invalid } from '../../../core/errors.ts';
import { ciObject, parseBody } from '../../validation.ts';

const optionalString = v.nullish(v.string());
const authSchema = ciObject({
  username: optionalString,
  password: optionalString,
  identitytoken: optionalString,
  registrytoken: optionalString,
  serveraddress: optionalString,
});

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
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid('invalid X-Registry-Auth header: not a JSON object');
  const b = parseBody(authSchema, parsed, 'X-Registry-Auth header');
  const auth: RegistryAuth = {
    username: b.username ?? undefined,
    password: b.password ?? undefined,
    identitytoken: b.identitytoken ?? undefined,
    registrytoken: b.registrytoken ?? undefined,
    serveraddress: b.serveraddress ?? undefined,
  };
  return auth.username || auth.password || auth.identitytoken || auth.registrytoken ? auth : undefined;
}
