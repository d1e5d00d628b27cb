// Splitting an image reference the way the docker CLI does before POST /images/create
// (fromImage + tag): the tag is the part after the last ':' that comes after the last '/', so a
// registry port (127.0.0.1:5000/busybox) is never mistaken for a tag; a digest (@sha256:…) is
// passed as the "tag" the API accepts.
import { badRequest } from './backend-error.ts';

export interface SplitReference {
  /** Repository, including any registry host: 127.0.0.1:5000/busybox, library/nginx, nginx. */
  repository: string;
  /** A tag (latest when none was given) or a digest (sha256:…). */
  tag: string;
}

const REPOSITORY = /^[a-zA-Z0-9][a-zA-Z0-9._:/\-[\]]*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;

export function splitReference(value: unknown): SplitReference {
  if (typeof value !== 'string' || value.trim() === '') throw badRequest('image reference must be a non-empty string, e.g. busybox:latest');
  const reference = value.trim();
  const at = reference.indexOf('@');
  if (at !== -1) {
    const repository = reference.slice(0, at);
    const digest = reference.slice(at + 1);
    // name:tag@digest: the digest wins, as in the docker CLI.
    const lastSlash = repository.lastIndexOf('/');
    const colon = repository.indexOf(':', lastSlash + 1);
    const repo = colon === -1 ? repository : repository.slice(0, colon);
    if (!DIGEST.test(digest)) throw badRequest(`"${digest}" in "${reference}" is not a valid digest (sha256:<hex>)`);
    checkRepository(repo, reference);
    return { repository: repo, tag: digest };
  }
  const lastSlash = reference.lastIndexOf('/');
  const colon = reference.indexOf(':', lastSlash + 1);
  const repository = colon === -1 ? reference : reference.slice(0, colon);
  const tag = colon === -1 ? 'latest' : reference.slice(colon + 1);
  checkRepository(repository, reference);
  if (!TAG.test(tag)) throw badRequest(`"${tag}" in "${reference}" is not a valid tag: letters, digits, _ . - (up to 128, not starting with . or -)`);
  return { repository, tag };
}

function checkRepository(repository: string, reference: string): void {
  if (!REPOSITORY.test(repository) || repository.includes('//') || repository.endsWith('/')) {
    throw badRequest(`"${reference}" is not a valid image reference`);
  }
  // Only the registry host may have capitals; the path is lowercase (distribution reference grammar).
  const slash = repository.indexOf('/');
  const first = slash === -1 ? '' : repository.slice(0, slash);
  const hasHost = first.includes('.') || first.includes(':') || first === 'localhost';
  const path = hasHost ? repository.slice(slash + 1) : repository;
  if (path !== path.toLowerCase()) throw badRequest(`repository name in "${reference}" must be lowercase`);
}

/** The tag part for POST /images/{name}/tag: validated like the docker CLI. */
export function checkTag(value: unknown): string {
  if (value === undefined || value === null || value === '') return 'latest';
  if (typeof value !== 'string' || !TAG.test(value)) throw badRequest(`tag "${String(value)}" is not valid: letters, digits, _ . - (up to 128, not starting with . or -)`);
  return value;
}

/** The repository for POST /images/{name}/tag (no tag or digest in it). */
export function checkRepositoryName(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw badRequest('repository must be a non-empty string, e.g. myregistry:5000/app');
  const repository = value.trim();
  const lastSlash = repository.lastIndexOf('/');
  if (repository.includes('@') || repository.indexOf(':', lastSlash + 1) !== -1) {
    throw badRequest(`repository "${repository}" must not include a tag or digest: give the tag separately`);
  }
  checkRepository(repository, repository);
  return repository;
}
