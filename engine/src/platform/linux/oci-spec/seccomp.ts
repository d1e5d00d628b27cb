// Turns the default policy (seccomp-profile.ts) or a user's Docker-format profile into the OCI
// `linux.seccomp` object for one container: rules are kept or dropped by the container's
// capabilities, the host architecture and the kernel version, as dockerd does at create time.
// OCI: https://github.com/opencontainers/runtime-spec/blob/v1.0.2/config-linux.md#seccomp
import { invalid } from '../../../core/errors.ts';
import { BASE_ALLOWED, CONDITIONAL_RULES, DEFAULT_ERRNO, SECCOMP_ARCHES, type SyscallRule } from './seccomp-profile.ts';
import type { HostFacts, OciSeccomp, OciSeccompArg, OciSeccompSyscall } from './types.ts';

type Host = Pick<HostFacts, 'arch' | 'kernel'>;

const atLeast = (have: readonly [number, number], want: readonly [number, number]) =>
  have[0] > want[0] || (have[0] === want[0] && have[1] >= want[1]);

function applies(rule: SyscallRule, caps: readonly string[], host: Host): boolean {
  if (rule.withCap && !caps.includes(rule.withCap)) return false;
  if (rule.withoutCap && caps.includes(rule.withoutCap)) return false;
  if (rule.arches && !rule.arches.includes(host.arch)) return false;
  if (rule.notArches && rule.notArches.includes(host.arch)) return false;
  if (rule.minKernel && !atLeast(host.kernel, rule.minKernel)) return false;
  return true;
}

/**
 * Docker's default profile for a container whose bounding set is `caps`: everything outside the
 * allowlist fails with EPERM; e.g. mount(2) is allowed only when CAP_SYS_ADMIN was added.
 */
export function defaultSeccomp(caps: readonly string[], host: Host): OciSeccomp {
  const syscalls: OciSeccompSyscall[] = [{ names: [...BASE_ALLOWED], action: 'SCMP_ACT_ALLOW' }];
  for (const rule of CONDITIONAL_RULES) {
    if (!applies(rule, caps, host)) continue;
    const entry: OciSeccompSyscall = rule.errnoRet === undefined
      ? { names: [...rule.names], action: 'SCMP_ACT_ALLOW' }
      : { names: [...rule.names], action: 'SCMP_ACT_ERRNO', errnoRet: rule.errnoRet };
    if (rule.args) entry.args = rule.args.map((a) => ({ ...a }));
    syscalls.push(entry);
  }
  return {
    defaultAction: 'SCMP_ACT_ERRNO',
    defaultErrnoRet: DEFAULT_ERRNO,
    architectures: [...(SECCOMP_ARCHES[host.arch] ?? [])],
    syscalls,
  };
}

// --- user-supplied profiles (`--security-opt seccomp=<file>`: the CLI sends the file's JSON) ---

/** Docker's architecture words for Node's `process.arch` (used by includes/excludes.arches). */
const DOCKER_ARCH: Readonly<Record<string, string>> = {
  x64: 'amd64', ia32: 'x86', arm: 'arm', arm64: 'arm64', s390x: 's390x', riscv64: 'riscv64',
  ppc64: 'ppc64le', loong64: 'loongarch64',
};

interface ProfileFilter { caps?: string[]; arches?: string[]; minKernel?: string }
interface ProfileSyscall {
  name?: string;
  names?: string[];
  action: string;
  errnoRet?: number;
  args?: OciSeccompArg[] | null;
  includes?: ProfileFilter;
  excludes?: ProfileFilter;
}
interface DockerProfile {
  defaultAction?: string;
  defaultErrnoRet?: number;
  architectures?: string[];
  archMap?: Array<{ architecture: string; subArchitectures?: string[] | null }>;
  syscalls?: ProfileSyscall[];
}

function parseKernel(v: string): [number, number] {
  const m = /^(\d+)\.(\d+)/.exec(v);
  if (!m) throw invalid(`invalid seccomp profile: bad minKernel "${v}"`);
  return [Number(m[1]), Number(m[2])];
}

function toRule(filter: ProfileFilter | undefined) {
  return {
    caps: filter?.caps ?? [],
    arches: filter?.arches ?? [],
    minKernel: filter?.minKernel ? parseKernel(filter.minKernel) : undefined,
  };
}

/**
 * A custom profile in Docker's JSON format (archMap, includes/excludes by caps, arches and
 * minKernel), filtered for this container exactly like the default one.
 */
export function seccompFromDockerProfile(json: string, caps: readonly string[], host: Host): OciSeccomp | undefined {
  let profile: DockerProfile;
  try {
    profile = JSON.parse(json) as DockerProfile;
  } catch (error) {
    throw invalid(`Decoding seccomp profile failed: ${(error as Error).message}`);
  }
  if (!profile.defaultAction && !profile.syscalls?.length) return undefined;
  if (profile.architectures?.length && profile.archMap?.length) {
    throw invalid("both 'architectures' and 'archMap' are specified in the seccomp profile, use either 'architectures' or 'archMap'");
  }
  const native = SECCOMP_ARCHES[host.arch]?.[0];
  let architectures = profile.architectures ?? [];
  const mapped = profile.archMap?.find((a) => a.architecture === native);
  if (mapped) architectures = [mapped.architecture, ...(mapped.subArchitectures ?? [])];
  const arch = DOCKER_ARCH[host.arch] ?? host.arch;
  const syscalls: OciSeccompSyscall[] = [];
  for (const call of profile.syscalls ?? []) {
    if (call.name && call.names?.length) {
      throw invalid("both 'name' and 'names' are specified in the seccomp profile, use either 'name' or 'names'");
    }
    const ex = toRule(call.excludes);
    if (ex.arches.includes(arch) || ex.caps.some((c) => caps.includes(c))) continue;
    if (ex.minKernel && atLeast(host.kernel, ex.minKernel)) continue;
    const inc = toRule(call.includes);
    if (inc.arches.length && !inc.arches.includes(arch)) continue;
    if (!inc.caps.every((c) => caps.includes(c))) continue;
    if (inc.minKernel && !atLeast(host.kernel, inc.minKernel)) continue;
    const entry: OciSeccompSyscall = { names: call.name ? [call.name] : [...(call.names ?? [])], action: call.action };
    if (call.errnoRet !== undefined) entry.errnoRet = call.errnoRet;
    if (call.args?.length) entry.args = call.args;
    syscalls.push(entry);
  }
  const out: OciSeccomp = { defaultAction: profile.defaultAction ?? 'SCMP_ACT_ALLOW', architectures, syscalls };
  if (profile.defaultErrnoRet !== undefined) out.defaultErrnoRet = profile.defaultErrnoRet;
  return out;
}
