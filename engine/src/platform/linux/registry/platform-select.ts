// Picking one manifest out of an OCI index / Docker manifest list for the platform we run on
// (OCI image-index.md "platform"; matching rules as containerd's platforms package applies them:
// arm64 without variant means v8, amd64 without variant means v1, and older arm variants run
// on newer cores).
import { notFound } from '../../../core/errors.ts';
import type { Descriptor, ImageIndex, Platform } from '../../../core/oci-types.ts';

const NODE_ARCH_TO_OCI: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le', // Node's ppc64 on Linux is little-endian
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
  mips: 'mips',
  mipsel: 'mipsle',
};

/** The platform images are pulled for by default: linux plus the engine's own architecture. */
export function defaultPlatform(arch: string = process.arch, armVersion?: string): Platform {
  const architecture = NODE_ARCH_TO_OCI[arch] ?? arch;
  if (architecture === 'arm') {
    const v = armVersion ?? String((process.config.variables as Record<string, unknown>).arm_version ?? '7');
    return { os: 'linux', architecture, variant: `v${v}` };
  }
  return { os: 'linux', architecture };
}

/** Parses `linux/arm64/v8`-style strings (the `platform` query parameter of image create). */
export function parsePlatform(spec: string): Platform {
  const [os, architecture, variant] = spec.toLowerCase().split('/');
  if (!os || !architecture) return { ...defaultPlatform(), os: os || 'linux' };
  return variant ? { os, architecture, variant } : { os, architecture };
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

function variantNumber(architecture: string, variant: string | undefined): number {
  if (variant === undefined || variant === '') {
    if (architecture === 'arm64') return 8;
    if (architecture === 'arm') return 7;
    return 1;
  }
  const m = /^v(\d+)$/.exec(variant);
  return m ? Number(m[1]) : -1;
}

function isAttestation(d: Descriptor): boolean {
  // BuildKit stores provenance/SBOM as index entries with platform unknown/unknown.
  if (d.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') return true;
  return d.platform?.os === 'unknown' && d.platform?.architecture === 'unknown';
}

/** Rank of a descriptor for the wanted platform; -1 = unusable. Higher is better. */
function score(d: Descriptor, want: Platform): number {
  if (isAttestation(d)) return -1;
  const p = d.platform;
  if (!p) return 1; // entries without platform pass, below any exact match
  if (p.os !== want.os || p.architecture !== want.architecture) return -1;
  const have = variantNumber(p.architecture, p.variant);
  const wanted = variantNumber(want.architecture, want.variant);
  if (have < 0 || wanted < 0) return p.variant === want.variant ? 1000 : -1;
  if (have === wanted) return 1000;
  // An older variant runs on a newer CPU (arm v6 on v7, amd64 v2 on v3); prefer the closest.
  if (have < wanted && (p.architecture === 'arm' || p.architecture === 'amd64' || p.architecture === 'arm64')) return 100 + have;
  return -1;
}

/** The index entry to pull for `want`; throws Docker's not-found message when none fits. */
export function selectManifest(index: ImageIndex, want: Platform): Descriptor {
  let best: Descriptor | undefined;
  let bestScore = -1;
  for (const d of index.manifests ?? []) {
    const s = score(d, want);
    if (s > bestScore) {
      best = d;
      bestScore = s;
    }
  }
  if (!best) throw notFound(`no matching manifest for ${formatPlatform(want)} in the manifest list entries`);
  return best;
}
