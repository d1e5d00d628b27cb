// Turns an API pull request (fromImage, tag, platform, X-Registry-Auth) into a PullService call.
import type { Platform } from '../../core/oci-types.ts';
import { ociArch, parsePlatformSpec } from '../../core/platform-spec.ts';
import { parseReference, withTag } from '../../core/reference.ts';
import type { PullRequest } from '../engine-services.ts';
import type { PullService } from '../pull-service.ts';

/** "linux/arm64/v8", "arm64", "windows" → {os, architecture, variant} (containerd's platform
 * syntax; a lone OS takes the engine's architecture). */
export function parsePlatform(text: string): Platform {
  return parsePlatformSpec(text, ociArch(process.arch));
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
