// The environment and resource limits of a container process, as dockerd computes them
// (container.CreateDaemonEnvironment, ReplaceOrAppendEnvValues, withRlimits).
import { invalid } from '../../../core/errors.ts';
import type { HostConfig } from '../../../core/container-types.ts';
import type { HostFacts, OciRlimit } from './types.ts';

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** RLIM_INFINITY (2^64-1): not a safe JS number, so a bigint; see specToJson. */
export const RLIM_INFINITY = 2n ** 64n - 1n;

/**
 * Docker's env merge: "K=V" replaces K or is appended; a bare "K" removes K.
 * (moby daemon/container/env.go ReplaceOrAppendEnvValues.)
 */
export function replaceOrAppendEnv(defaults: readonly string[], overrides: readonly string[] | null | undefined): string[] {
  const out: Array<string | undefined> = [...defaults];
  const index = new Map<string, number>();
  out.forEach((e, i) => index.set((e as string).split('=')[0], i));
  for (const value of overrides ?? []) {
    const eq = value.indexOf('=');
    const key = eq < 0 ? value : value.slice(0, eq);
    const at = index.get(key);
    if (eq < 0) {
      if (at !== undefined) out[at] = undefined;
      continue;
    }
    if (at !== undefined) out[at] = value;
    else index.set(key, out.push(value) - 1);
  }
  return out.filter((e): e is string => e !== undefined);
}

/** PATH, HOSTNAME and (with a TTY) TERM=xterm first, then the image's env, then the container's. */
export function containerEnv(options: {
  hostname: string;
  tty: boolean;
  imageEnv?: readonly string[] | null;
  env?: readonly string[] | null;
}): string[] {
  const base = [`PATH=${DEFAULT_PATH}`, `HOSTNAME=${options.hostname}`];
  if (options.tty) base.push('TERM=xterm');
  return replaceOrAppendEnv(replaceOrAppendEnv(base, options.imageEnv), options.env);
}

const ULIMIT_NAMES = new Set([
  'core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice', 'nofile', 'nproc', 'rss',
  'rtprio', 'rttime', 'sigpending', 'stack',
]);

/**
 * The open-files limit every container starts with unless `--ulimit nofile=` says otherwise.
 * dockerd itself writes no rlimit: containers inherit containerd's, and Debian 12's docker.io
 * (20.10) and containerd units say LimitNOFILE=infinity, which the kernel caps at fs.nr_open —
 * 1048576 by default. We write 1048576 explicitly so a container does not depend on how berthd
 * was started, and cap it at fs.nr_open and, when berthd cannot raise limits (no
 * CAP_SYS_RESOURCE, e.g. in a sandbox), at berthd's own hard limit, since runc would fail.
 */
export function defaultNofile(host: Pick<HostFacts, 'capabilities' | 'nofileHard' | 'nrOpen'>): number {
  let n = Math.min(1048576, host.nrOpen);
  if (!host.capabilities.includes('CAP_SYS_RESOURCE')) n = Math.min(n, host.nofileHard);
  return n;
}

const rlimitValue = (v: number): number | bigint => (v < 0 ? RLIM_INFINITY : v);

/** HostConfig.Ulimits (`--ulimit name=soft:hard`, -1 = unlimited) over the nofile default. */
export function processRlimits(ulimits: HostConfig['Ulimits'], host: Pick<HostFacts, 'capabilities' | 'nofileHard' | 'nrOpen'>): OciRlimit[] {
  const nofile = defaultNofile(host);
  const out: OciRlimit[] = [{ type: 'RLIMIT_NOFILE', soft: nofile, hard: nofile }];
  for (const u of ulimits ?? []) {
    const name = u.Name.toLowerCase();
    if (!ULIMIT_NAMES.has(name)) throw invalid(`invalid ulimit type: ${u.Name}`);
    if (u.Soft >= 0 && (u.Hard < 0 ? false : u.Soft > u.Hard)) {
      throw invalid(`ulimit soft limit must be less than or equal to hard limit: ${u.Soft} > ${u.Hard}`);
    }
    const type = `RLIMIT_${name.toUpperCase()}`;
    const entry: OciRlimit = { type, soft: rlimitValue(u.Soft), hard: rlimitValue(u.Hard) };
    const at = out.findIndex((r) => r.type === type);
    if (at >= 0) out[at] = entry;
    else out.push(entry);
  }
  return out;
}

const rawJSON = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;

/** config.json text: like JSON.stringify, but writes bigints (RLIM_INFINITY) as exact numbers. */
export function specToJson(spec: object): string {
  return JSON.stringify(spec, (_key, value: unknown) => (typeof value === 'bigint' ? rawJSON(value.toString()) : value), 2);
}
