// The OCI `process` object for `docker exec` (runc exec --process): a new process in the running
// container with the container's confinement, as dockerd builds it (daemon/exec.go ContainerExecStart
// and exec_linux.go execSetPlatformOpt).
import { invalid } from '../../../core/errors.ts';
import type { ContainerRecord } from '../../../core/container-types.ts';
import { capabilitySets } from './capabilities.ts';
import { containerSecurity } from './container-security.ts';
import { probeHost } from './host.ts';
import { containerEnv, processRlimits, replaceOrAppendEnv } from './process-env.ts';
import type { HostFacts, OciProcess, ResolvedUser } from './types.ts';

export interface BuildExecInput {
  record: ContainerRecord;
  /** The command (ExecConfig.Cmd). */
  args: readonly string[];
  /** ExecConfig.Env: merged over the container's environment. */
  env?: readonly string[] | null;
  /** The image config's Env, as passed to buildSpec (no-op if already in Config.Env). */
  imageEnv?: readonly string[] | null;
  /** ExecConfig.User resolved with resolveUser(), or the container's user when that is empty. */
  user: ResolvedUser;
  /** ExecConfig.WorkingDir; the container's WorkingDir (else "/") when empty. */
  workingDir?: string;
  tty: boolean;
  /** `docker exec --privileged`: every capability the engine holds for this process only. */
  privileged?: boolean;
  consoleSize?: [number, number] | null;
  /** The container's hostname (its HOSTNAME variable). */
  hostname: string;
  host?: HostFacts;
}

export function buildExecProcess(input: BuildExecInput): OciProcess {
  const host = input.host ?? probeHost();
  const { record } = input;
  if (!input.args.length || !input.args[0]) throw invalid('No exec command specified');
  const security = containerSecurity(record, host);
  const cwd = input.workingDir || record.Config.WorkingDir || '/';
  if (!cwd.startsWith('/')) throw invalid(`the working directory '${cwd}' is invalid, it needs to be an absolute path`);
  // The exec's TTY decides TERM, not the container's (CreateDaemonEnvironment(execTty)).
  const env = replaceOrAppendEnv(
    containerEnv({ hostname: input.hostname, tty: input.tty, imageEnv: input.imageEnv, env: record.Config.Env }),
    input.env,
  );
  const caps = input.privileged ? [...host.capabilities] : security.capabilities;
  const process: OciProcess = {
    terminal: input.tty,
    user: { uid: input.user.uid, gid: input.user.gid, additionalGids: [...input.user.additionalGids] },
    args: [...input.args],
    env,
    cwd,
    capabilities: capabilitySets(caps),
    rlimits: processRlimits(record.HostConfig.Ulimits, host),
    // no_new_privs follows the container: an exec must not regain what the container gave up.
    noNewPrivileges: security.options.noNewPrivileges,
  };
  const [height, width] = input.consoleSize ?? [0, 0];
  if (input.tty && height > 0 && width > 0) process.consoleSize = { height, width };
  // Same AppArmor profile as the container (none unless SecurityOpt named one): an exec must not
  // run less confined than the container it enters.
  const apparmor = security.options.apparmorProfile;
  if (apparmor && apparmor !== 'unconfined') process.apparmorProfile = apparmor;
  return process;
}
