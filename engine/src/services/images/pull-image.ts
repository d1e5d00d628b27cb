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

export function createPull(service: PullService): (request: PullRequest) => Promise<void> {
  return async (request) => {
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
  };
}
