// HostConfig.SecurityOpt, read with dockerd's grammar (daemon_unix.go parseSecurityOpt):
// "no-new-privileges[=bool]", "seccomp=unconfined|builtin|<profile JSON>", "apparmor=<profile>",
// "label=…" (SELinux; a no-op on Debian hosts, as dockerd without SELinux), "writable-cgroups[=bool]".
// Berth also takes "systempaths=unconfined" here, which the docker CLI normally turns into empty
// HostConfig.MaskedPaths/ReadonlyPaths before sending.
import { invalid } from '../../../core/errors.ts';

export interface SecurityOptions {
  noNewPrivileges: boolean;
  /** "default" = Docker's profile; "unconfined" = none; otherwise a Docker-format profile's JSON. */
  seccomp: 'default' | 'unconfined' | { profile: string };
  apparmorProfile?: string;
  writableCgroups?: boolean;
  /** Drop maskedPaths and readonlyPaths (systempaths=unconfined). */
  unmaskSystemPaths: boolean;
}

function parseBool(v: string, opt: string): boolean {
  // Go's strconv.ParseBool accepts exactly these spellings.
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(v)) return false;
  throw invalid(`invalid --security-opt 2: "${opt}"`);
}

export function parseSecurityOpt(opts: readonly string[] | null | undefined): SecurityOptions {
  const out: SecurityOptions = { noNewPrivileges: false, seccomp: 'default', unmaskSystemPaths: false };
  for (const opt of opts ?? []) {
    if (opt === 'no-new-privileges') {
      out.noNewPrivileges = true;
      continue;
    }
    if (opt === 'writable-cgroups') {
      out.writableCgroups = true;
      continue;
    }
    if (opt === 'disable') continue; // SELinux label "disable": nothing to do without SELinux.
    // ":" is the pre-17.04 separator dockerd still accepts (with a deprecation warning).
    const sep = opt.includes('=') ? '=' : opt.includes(':') ? ':' : '';
    if (!sep) throw invalid(`invalid --security-opt 1: "${opt}"`);
    const at = opt.indexOf(sep);
    const key = opt.slice(0, at);
    const value = opt.slice(at + 1);
    switch (key) {
      case 'label':
        break;
      case 'apparmor':
        out.apparmorProfile = value;
        break;
      case 'seccomp':
        out.seccomp = value === 'unconfined' ? 'unconfined' : value === 'builtin' || value === '' ? 'default' : { profile: value };
        break;
      case 'no-new-privileges':
        out.noNewPrivileges = parseBool(value, opt);
        break;
      case 'writable-cgroups':
        out.writableCgroups = parseBool(value, opt);
        break;
      case 'systempaths':
        if (value !== 'unconfined') throw invalid(`invalid --security-opt 2: "${opt}"`);
        out.unmaskSystemPaths = true;
        break;
      default:
        throw invalid(`invalid --security-opt 2: "${opt}"`);
    }
  }
  return out;
}
