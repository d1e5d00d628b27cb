// Config.User → uid/gid/supplementary groups, with the rules Docker inherits from runc's
// libcontainer/user (GetExecUser): "" | "name" | "uid" | "name:group" | "uid:gid" (and mixes).
// Names are looked up in the image's /etc/passwd and /etc/group; numeric ids need no entry.
import { invalid } from '../../../core/errors.ts';
import { ContainerView } from '../container-files/container-view.ts';
import { openFileAt } from '../fs/at.ts';
import type { ResolvedUser } from './types.ts';

const MAX_ID = 2 ** 31 - 1;
/** passwd/group files bigger than this are not something a real image ships. */
const MAX_FILE = 16 * 1024 * 1024;

export interface PasswdEntry { name: string; uid: number; gid: number; home: string }
export interface GroupEntry { name: string; gid: number; members: string[] }

/** Reads `path` inside the rootfs; undefined when missing or not a regular file. Resolved one
 * name at a time in directories held open (fs/at.ts): a running container that swaps /etc for a
 * symlink cannot make us read the host's files (CVE-2018-15664 class). */
async function readInRootfs(rootfs: string, path: string): Promise<string | undefined> {
  const view = new ContainerView(rootfs, []);
  try {
    const found = await view.resolve(path).catch(() => undefined);
    const file = found && (await openFileAt(found.loc));
    if (!file) return undefined;
    try {
      if (file.stats.size > MAX_FILE) return undefined;
      return await file.handle.readFile('utf8');
    } finally {
      await file.handle.close();
    }
  } finally {
    await view.close();
  }
}

const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const toInt = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s) ? Number(s) : undefined);

export function parsePasswd(text: string): PasswdEntry[] {
  return lines(text).map((l) => {
    const f = l.split(':');
    return { name: f[0], uid: toInt(f[2]) ?? -1, gid: toInt(f[3]) ?? -1, home: f[5] ?? '' };
  });
}

export function parseGroup(text: string): GroupEntry[] {
  return lines(text).map((l) => {
    const f = l.split(':');
    return { name: f[0], gid: toInt(f[2]) ?? -1, members: (f[3] ?? '').split(',').map((m) => m.trim()).filter(Boolean) };
  });
}

function checkRange(id: number): number {
  if (id < 0 || id > MAX_ID) throw invalid(`uids and gids must be in range 0-${MAX_ID}`);
  return id;
}

/**
 * Resolves a Docker `User` against the files in `passwd`/`group` (undefined = file missing).
 * A name must exist; a number that has an entry takes that entry's gid and groups.
 */
export function resolveUserFrom(spec: string, passwd: PasswdEntry[] | undefined, group: GroupEntry[] | undefined): ResolvedUser {
  const colon = spec.indexOf(':');
  const userArg = colon < 0 ? spec : spec.slice(0, colon);
  const groupArg = colon < 0 ? '' : spec.slice(colon + 1).split(':')[0];
  const uidArg = /^\d+$/.test(userArg) ? Number(userArg) : undefined;
  const gidArg = /^\d+$/.test(groupArg) ? Number(groupArg) : undefined;

  let uid = 0;
  let gid = 0;
  let matched: string | undefined;
  // "" means the current (root) user, and takes its passwd entry when there is one.
  const entry = passwd?.find((p) => (userArg === '' ? p.uid === 0 : uidArg !== undefined ? p.uid === uidArg : p.name === userArg));
  if (entry) {
    matched = entry.name;
    uid = entry.uid;
    gid = entry.gid;
  } else if (userArg !== '') {
    if (uidArg === undefined) throw invalid(`unable to find user ${userArg}: no matching entries in passwd file`);
    uid = checkRange(uidArg);
  }

  let sgids: number[] = [];
  if (groupArg !== '') {
    const g = group?.find((e) => (gidArg !== undefined ? e.gid === gidArg : e.name === groupArg));
    if (g) gid = g.gid;
    else if (gidArg === undefined) throw invalid(`unable to find group ${groupArg}: no matching entries in group file`);
    else gid = checkRange(gidArg);
  } else if (matched !== undefined) {
    // Supplementary groups only in the implicit form: every group listing the user as member.
    sgids = (group ?? []).filter((e) => e.members.includes(matched)).map((e) => e.gid);
  }
  // dockerd lists the primary gid first, then the supplementary ones (daemon/oci_linux.go getUser).
  return { uid, gid, additionalGids: [gid, ...sgids] };
}

/** HostConfig.GroupAdd (`--group-add`) → gids, as runc's user.GetAdditionalGroups does it for
 * dockerd: a name or number found in the group file, else a number as given; an unknown name
 * fails the start. Duplicates go (the kernel sorts the list anyway). */
export function additionalGroupsFrom(groupAdd: readonly string[], group: GroupEntry[] | undefined): number[] {
  const gids = new Set<number>();
  for (const wanted of groupAdd) {
    const found = group?.find((e) => e.name === wanted || String(e.gid) === wanted);
    if (found) gids.add(found.gid);
    else if (/^\d+$/.test(wanted)) gids.add(checkRange(Number(wanted)));
    else throw invalid(`Unable to find group ${wanted}: no matching entries in group file`);
  }
  return [...gids];
}

/** Resolves `user` (plus `--group-add` groups) against `<rootfs>/etc/passwd` and `/etc/group`,
 * never leaving `rootfs`. */
export async function resolveUser(rootfs: string, user: string, groupAdd: readonly string[] = []): Promise<ResolvedUser> {
  const [passwd, group] = await Promise.all([readInRootfs(rootfs, '/etc/passwd'), readInRootfs(rootfs, '/etc/group')]);
  const groups = group === undefined ? undefined : parseGroup(group);
  const resolved = resolveUserFrom(user.trim(), passwd === undefined ? undefined : parsePasswd(passwd), groups);
  if (groupAdd.length > 0) resolved.additionalGids.push(...additionalGroupsFrom(groupAdd, groups));
  return resolved;
}
