// `--platform` strings ("linux/arm64/v8", "arm64", "windows") parsed, shown and matched the way
// dockerd 20.10 does it through containerd's platforms package (Parse, Format, normalizeArch) and
// its own OnlyPlatformWithFallback matcher (daemon/images/image.go): a create or pull for a
// platform the local image is not for is refused with "was found but does not match".
import { invalid } from './errors.ts';
import type { Platform } from './oci-types.ts';

const KNOWN_OS = new Set(['aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux', 'nacl', 'netbsd',
  'openbsd', 'plan9', 'solaris', 'windows', 'zos']);
const KNOWN_ARCH = new Set(['386', 'amd64', 'amd64p32', 'arm', 'armbe', 'arm64', 'arm64be', 'ppc64', 'ppc64le', 'loong64', 'mips', 'mipsle',
  'mips64', 'mips64le', 'mips64p32', 'mips64p32le', 'ppc', 'riscv', 'riscv64', 's390', 's390x', 'sparc', 'sparc64', 'wasm']);
const COMPONENT = /^[A-Za-z0-9_-]+$/;

/** Node's process.arch → the OCI/Go name. */
export function ociArch(nodeArch: string): string {
  return ({ x64: 'amd64', ia32: '386', ppc64: 'ppc64le', mipsel: 'mipsle' } as Record<string, string>)[nodeArch] ?? nodeArch;
}

function normalizeOs(os: string): string {
  const lower = os.toLowerCase();
  return lower === 'macos' ? 'darwin' : lower;
}

/** containerd normalizeArch: aliases to Go names, and the default variants spelled out or dropped. */
function normalizeArch(arch: string, variant: string): { architecture: string; variant: string } {
  let a = arch.toLowerCase();
  let v = variant.toLowerCase();
  switch (a) {
    case 'i386': a = '386'; v = ''; break;
    case 'x86_64': case 'x86-64': a = 'amd64'; v = ''; break;
    case 'aarch64': case 'arm64': a = 'arm64'; if (v === '8' || v === 'v8') v = ''; break;
    case 'armhf': a = 'arm'; v = 'v7'; break;
    case 'armel': a = 'arm'; v = 'v6'; break;
    case 'arm': if (v === '' || v === '7') v = 'v7'; else if (['5', '6', '8'].includes(v)) v = `v${v}`; break;
  }
  return { architecture: a, variant: v };
}

const withVariant = (os: string, architecture: string, variant: string): Platform => (variant ? { os, architecture, variant } : { os, architecture });

/** containerd platforms.Parse: one component is an OS (with the host's architecture) or an
 * architecture (on Linux); two are os/arch; three add the variant. */
export function parsePlatformSpec(text: string, hostArch: string): Platform {
  const parts = text.split('/');
  for (const part of parts) {
    if (!COMPONENT.test(part)) throw invalid(`"${part}" is an invalid component of "${text}": platform specifier component must match "^[A-Za-z0-9_-]+$": invalid argument`);
  }
  if (parts.length === 1) {
    const os = normalizeOs(parts[0]);
    if (KNOWN_OS.has(os)) return { os, architecture: hostArch };
    const arch = normalizeArch(parts[0], '');
    if (KNOWN_ARCH.has(arch.architecture)) return withVariant('linux', arch.architecture, arch.architecture === 'arm' && arch.variant === 'v7' ? '' : arch.variant);
    throw invalid(`"${text}": unknown operating system or architecture: invalid argument`);
  }
  if (parts.length === 2) {
    const arch = normalizeArch(parts[1], '');
    return withVariant(normalizeOs(parts[0]), arch.architecture, arch.architecture === 'arm' && arch.variant === 'v7' ? '' : arch.variant);
  }
  if (parts.length === 3) {
    const arch = normalizeArch(parts[1], parts[2]);
    return withVariant(normalizeOs(parts[0]), arch.architecture, arch.architecture === 'arm64' && arch.variant === '' ? 'v8' : arch.variant);
  }
  throw invalid(`"${text}": cannot parse platform specifier: invalid argument`);
}

/** containerd platforms.Format: "os/arch[/variant]", "unknown" without an OS. */
export function formatPlatformSpec(p: Pick<Platform, 'os' | 'architecture' | 'variant'>): string {
  if (!p.os) return 'unknown';
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

const ARM_ORDER = ['v5', 'v6', 'v7', 'v8'];

/** dockerd's OnlyPlatformWithFallback(want).Match(image): same OS and architecture; the image's
 * variant may be older on arm (v6 runs on v7), and an image without a variant matches any. */
export function platformMatches(want: Platform, image: Pick<Platform, 'os' | 'architecture' | 'variant'>): boolean {
  const w = { os: normalizeOs(want.os), ...normalizeArch(want.architecture, want.variant ?? '') };
  const i = { os: normalizeOs(image.os || 'linux'), ...normalizeArch(image.architecture, image.variant ?? '') };
  if (w.os !== i.os || w.architecture !== i.architecture) return false;
  if (w.variant === i.variant || image.variant === undefined || image.variant === '') return true;
  if (w.architecture === 'arm') {
    const have = ARM_ORDER.indexOf(i.variant);
    return have >= 0 && have <= ARM_ORDER.indexOf(w.variant);
  }
  return false;
}

/** dockerd's NotFound error for a local image of another platform (the CLI pulls on a 404). */
export function platformMismatchMessage(ref: string, want: Platform, image: Pick<Platform, 'os' | 'architecture' | 'variant'>): string {
  return `image with reference ${ref} was found but does not match the specified platform: wanted ${formatPlatformSpec(want)}, actual: ${formatPlatformSpec(image)}`;
}
