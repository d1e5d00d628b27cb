// Image references parsed and normalised the way Docker does (github.com/distribution/reference,
// grammar in reference.go, normalisation in normalize.go), so that names, errors and familiar
// forms match what clients print and compare. Pure code.
import { invalid } from './errors.ts';

export const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
/** Docker Hub's API lives on a different host than the name users see. */
const DEFAULT_REGISTRY_HOST = 'registry-1.docker.io';
const OFFICIAL_REPO_PREFIX = 'library/';
export const DEFAULT_TAG = 'latest';
/** distribution/reference NameTotalLengthMax: domain + "/" + path. */
const NAME_TOTAL_LENGTH_MAX = 255;

// The grammar, piece by piece (reference.go).
const alnum = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alnum}(?:${separator}${alnum})*`;
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainName = `${domainComponent}(?:\\.${domainComponent})*`;
const ipv6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainRe = new RegExp(`^(?:${domainName}|${ipv6})(?::[0-9]+)?$`);
const tagPart = '[\\w][\\w.-]{0,127}';
const digestPart = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const remainderRe = new RegExp(`^(${pathComponent}(?:/${pathComponent})*)(?::(${tagPart}))?(?:@(${digestPart}))?$`);
const identifierRe = /^[a-f0-9]{64}$/;
const tagRe = new RegExp(`^${tagPart}$`);

export interface ParsedReference {
  /** Registry name as users write it: `docker.io`, `localhost:5000`. */
  readonly domain: string;
  /** Repository path inside the registry: `library/busybox`. */
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
  /** Docker's short form: `busybox:latest`, `127.0.0.1:5000/x:latest`. */
  familiarName(): string;
  /** Fully qualified repository without tag or digest: `docker.io/library/busybox`. */
  repository(): string;
  /** Short repository name without tag/digest: `busybox`, `127.0.0.1:5000/x`. */
  familiarRepository(): string;
  /** Host to talk HTTP to (Docker Hub's API host differs from its name). */
  registryHost(): string;
  /** Fully qualified: `docker.io/library/busybox:latest`. */
  toString(): string;
}

/** Validates a digest as go-digest does for the algorithms the engine supports. */
export function validateDigest(digest: string): void {
  const colon = digest.indexOf(':');
  if (colon <= 0) throw invalid(`invalid digest format: ${digest}`);
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  const lengths: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };
  const want = lengths[algorithm];
  if (want === undefined) throw invalid(`unsupported digest algorithm: ${digest}`);
  if (hex.length !== want) throw invalid(`invalid checksum digest length`);
  if (!/^[a-f0-9]+$/.test(hex)) throw invalid(`invalid checksum digest format`);
}

export function makeReference(fields: { domain: string; path: string; tag?: string; digest?: string }): ParsedReference {
  const { domain, path, tag, digest } = fields;
  const suffix = (tag !== undefined ? `:${tag}` : '') + (digest !== undefined ? `@${digest}` : '');
  const familiarRepository = (): string => {
    if (domain !== DEFAULT_DOMAIN) return `${domain}/${path}`;
    // Only strip `library/` when what is left is a single component (normalize.go familiarizeName).
    const rest = path.startsWith(OFFICIAL_REPO_PREFIX) ? path.slice(OFFICIAL_REPO_PREFIX.length) : path;
    return rest.includes('/') ? path : rest;
  };
  return Object.freeze({
    domain,
    path,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
    familiarName: () => familiarRepository() + suffix,
    repository: () => `${domain}/${path}`,
    familiarRepository,
    registryHost: () => (domain === DEFAULT_DOMAIN ? DEFAULT_REGISTRY_HOST : domain),
    toString: () => `${domain}/${path}${suffix}`,
  });
}

/** Splits off the registry domain the way normalize.go splitDockerDomain does: the first
 * component is a domain only when it contains `.` or `:`, is `localhost`, or has uppercase. */
function splitDomain(name: string): { domain: string; remainder: string } {
  const slash = name.indexOf('/');
  let domain: string;
  let remainder: string;
  const first = slash === -1 ? '' : name.slice(0, slash);
  if (slash === -1 || (!/[.:]/.test(first) && first !== 'localhost' && first.toLowerCase() === first)) {
    domain = DEFAULT_DOMAIN;
    remainder = name;
  } else {
    domain = first;
    remainder = name.slice(slash + 1);
  }
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = OFFICIAL_REPO_PREFIX + remainder;
  return { domain, remainder };
}

export interface ParseOptions {
  /** Add `:latest` when neither tag nor digest is given (Docker's TagNameOnly). Default true. */
  defaultTag?: boolean;
}

/** Parses a user-supplied image reference (ParseNormalizedNamed + TagNameOnly). Throws `invalid`
 * with Docker's messages. */
export function parseReference(input: string, options: ParseOptions = {}): ParsedReference {
  if (input === '') throw invalid('invalid reference format: repository name must have at least one component');
  if (identifierRe.test(input)) {
    throw invalid(`invalid repository name (${input}), cannot specify 64-byte hexadecimal strings`);
  }
  const { domain, remainder } = splitDomain(input);
  const tagSep = remainder.indexOf(':');
  const remoteName = tagSep > -1 ? remainder.slice(0, tagSep) : remainder;
  if (remoteName.toLowerCase() !== remoteName) {
    throw invalid(`invalid reference format: repository name (${remoteName}) must be lowercase`);
  }
  const m = remainderRe.exec(remainder);
  if (!m || !domainRe.test(domain)) {
    // reference.go Parse: a reference valid apart from case gets the more helpful message.
    const lower = remainderRe.test(remainder.toLowerCase()) && domainRe.test(domain);
    throw invalid(lower ? 'invalid reference format: repository name must be lowercase' : 'invalid reference format');
  }
  const path = m[1];
  if (domain.length + 1 + path.length > NAME_TOTAL_LENGTH_MAX) {
    throw invalid(`invalid reference format: repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`);
  }
  let tag: string | undefined = m[2];
  const digest: string | undefined = m[3];
  if (digest !== undefined) validateDigest(digest);
  if (tag === undefined && digest === undefined && options.defaultTag !== false) tag = DEFAULT_TAG;
  return makeReference({ domain, path, tag, digest });
}

/** Applies a separate tag (the `tag` query parameter of `POST /images/create`) to a repository. */
export function withTag(ref: ParsedReference, tag: string): ParsedReference {
  if (!tagRe.test(tag)) throw invalid('invalid tag format');
  return makeReference({ domain: ref.domain, path: ref.path, tag, digest: ref.digest });
}

/** True when `input` parses as a reference; never throws. */
export function isValidReference(input: string): boolean {
  try {
    parseReference(input);
    return true;
  } catch {
    return false;
  }
}
