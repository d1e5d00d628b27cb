// Turns an API pull request (fromImage, tag, platform, X-Registry-Auth) into a PullService call.
import { invalid } from '../../core/errors.ts';
import type { Platform } from '../../core/oci-types.ts';
import { parseReference, withTag } from '../../core/reference.ts';
import type { PullRequest } from '../engine-services.ts';
import type { PullService } from '../pull-service.ts';

/** "linux/arm64/v8" → {os, architecture, variant} (containerd's platform syntax). */
export function parsePlatform(text: string): Platform {
  const [os, architecture, variant, ...rest] = text.toLowerCase().split('/');
  if (!os || !architecture || rest.length > 0) throw invalid(`"${text}": unknown operating system or architecture: invalid argument`);
  return variant ? { os, architecture, variant } : { os, architecture };
}

/** `hold` marks the pull as storing content prune must not collect (ImageService.holdContent). */
export function createPull(service: PullService, hold: <T>(task: () => Promise<T>) => Promise<T> = (task) => task()): (request: PullRequest) => Promise<void> {
  return (request) => hold(() => pullOnce(service, request));
}

async function pullOnce(service: PullService, request: PullRequest): Promise<void> {
  let ref = parseReference(request.image, { defaultTag: !request.tag });
  // `docker pull busybox` sends fromImage=busybox&tag=latest; a digest may come as the tag.
  if (request.tag) {
    if (request.tag.includes(':')) ref = parseReference(`${ref.repository()}@${request.tag}`);
    else ref = withTag(ref, request.tag);
  }
  await service.pull(ref, {
    platform: request.platform ? parsePlatform(request.platform) : undefined,
    credentials: request.auth
      ? { username: request.auth.username, password: request.auth.password, identityToken: request.auth.identitytoken, registryToken: request.auth.registrytoken }
      : undefined,
    signal: request.signal,
    onProgress: request.onProgress,
  });
}
