// How the Images view names images and reads the references users type.
import type { ImageSummary } from '../../../common/docker-types.ts';
import { shortId } from '../../components/format.ts';

/** Real tags only: engines report untagged images as "<none>:<none>". */
export function tagsOf(image: ImageSummary): string[] {
  return (image.RepoTags ?? []).filter((tag) => tag !== '<none>:<none>' && !tag.endsWith(':<none>'));
}

/** The row's name (README.md): the first repo:tag, or the short id for an untagged image. */
export function imageName(image: ImageSummary): string {
  return tagsOf(image)[0] ?? shortId(image.Id);
}

/** Docker's reference grammar, loosely: lowercase path components, optional registry host:port. */
const REPOSITORY = /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/** "registry:5000/team/app:1.2" → repo and tag (tag defaults to latest), or why it is not one. */
export function parseTagReference(text: string): { repo: string; tag: string } | { error: string } {
  const reference = text.trim();
  if (reference === '') return { error: 'type a name such as myapp:1.0 or localhost:5000/team/app:latest' };
  if (/\s/.test(reference)) return { error: 'a reference has no spaces' };
  if (reference.includes('@')) return { error: 'a tag cannot contain a digest (@sha256:…)' };
  const lastSlash = reference.lastIndexOf('/');
  const lastColon = reference.lastIndexOf(':');
  // A colon after the last slash starts the tag; before it, it is a registry port.
  const hasTag = lastColon > lastSlash;
  const repo = hasTag ? reference.slice(0, lastColon) : reference;
  const tag = hasTag ? reference.slice(lastColon + 1) : 'latest';
  if (!REPOSITORY.test(repo)) return { error: `"${repo}" is not a valid repository name (lowercase letters, digits, and . _ - / separators)` };
  if (!TAG.test(tag)) return { error: `"${tag}" is not a valid tag (letters, digits, _ . -, up to 128 characters)` };
  return { repo, tag };
}

/** A pull reference: anything `docker pull` could take; the engine says the rest. */
export function pullReferenceProblem(text: string): string | undefined {
  const reference = text.trim();
  if (reference === '') return 'type an image reference, e.g. busybox:latest or nginx:alpine';
  if (/\s/.test(reference)) return 'an image reference has no spaces';
  return undefined;
}
