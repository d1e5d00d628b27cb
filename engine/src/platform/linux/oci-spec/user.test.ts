import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { additionalGroupsFrom, parseGroup, resolveUser } from './user.ts';

const PASSWD = `root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
# a comment line
app:x:1000:1000:App:/home/app:/bin/sh
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
`;
const GROUP = `root:x:0:
daemon:x:1:
tty:x:5:app
www-data:x:33:
app:x:1000:
docker:x:999:app,www-data
`;

let dir: string;
let rootfs: string;

function rootfsWith(files: Record<string, string>) {
  mkdirSync(join(rootfs, 'etc'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(rootfs, 'etc', name), text);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-user-'));
  rootfs = join(dir, 'rootfs');
  mkdirSync(rootfs);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('resolveUser', () => {
  it('is root with its groups when User is empty', async () => {
    rootfsWith({ passwd: PASSWD, group: GROUP });
    expect(await resolveUser(rootfs, '')).toEqual({ uid: 0, gid: 0, additionalGids: [0] });
  });

  it('takes a name with its primary group first, then the groups listing it', async () => {
    rootfsWith({ passwd: PASSWD, group: GROUP });
    expect(await resolveUser(rootfs, 'app')).toEqual({ uid: 1000, gid: 1000, additionalGids: [1000, 5, 999] });
  });

  it('takes a uid that has an entry like its name', async () => {
    rootfsWith({ passwd: PASSWD, group: GROUP });
    expect(await resolveUser(rootfs, '33')).toEqual({ uid: 33, gid: 33, additionalGids: [33, 999] });
  });

  it('accepts numeric ids without entries', async () => {
    rootfsWith({ passwd: PASSWD, group: GROUP });
    expect(await resolveUser(rootfs, '4242')).toEqual({ uid: 4242, gid: 0, additionalGids: [0] });
    expect(await resolveUser(rootfs, '4242:4343')).toEqual({ uid: 4242, gid: 4343, additionalGids: [4343] });
  });

  it('takes an explicit group by name or id, without supplementary groups', async () => {
    rootfsWith({ passwd: PASSWD, group: GROUP });
    expect(await resolveUser(rootfs, 'app:docker')).toEqual({ uid: 1000, gid: 999, additionalGids: [999] });
    expect(await resolveUser(rootfs, '1000:5')).toEqual({ uid: 1000, gid: 5, additionalGids: [5] });
    expect(await resolveUser(rootfs, 'daemon:7777')).toEqual({ uid: 1, gid: 7777, additionalGids: [7777] });
  });

  it('fails clearly for unknown names', async () => {
    rootfsWith({ passwd: PASSWD, group: GROUP });
    await expect(resolveUser(rootfs, 'nobody')).rejects.toThrow('unable to find user nobody: no matching entries in passwd file');
    await expect(resolveUser(rootfs, 'app:wheel')).rejects.toThrow('unable to find group wheel: no matching entries in group file');
    await expect(resolveUser(rootfs, 'nobody')).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('works without /etc/passwd for numeric users and root', async () => {
    expect(await resolveUser(rootfs, '')).toEqual({ uid: 0, gid: 0, additionalGids: [0] });
    expect(await resolveUser(rootfs, '1000:1000')).toEqual({ uid: 1000, gid: 1000, additionalGids: [1000] });
    await expect(resolveUser(rootfs, 'app')).rejects.toThrow('unable to find user app: no matching entries in passwd file');
  });

  it('rejects ids out of range', async () => {
    await expect(resolveUser(rootfs, '4294967296')).rejects.toThrow(/must be in range/);
  });

  it('never follows an absolute /etc/passwd symlink to the host', async () => {
    // The host file names the user; the rootfs only links to it.
    writeFileSync(join(dir, 'host-passwd'), 'evil:x:0:0::/:/bin/sh\n');
    mkdirSync(join(rootfs, 'etc'));
    symlinkSync(join(dir, 'host-passwd'), join(rootfs, 'etc', 'passwd'));
    await expect(resolveUser(rootfs, 'evil')).rejects.toThrow('unable to find user evil');
  });

  it('never climbs out with a relative ../ symlink, but follows links inside the rootfs', async () => {
    writeFileSync(join(dir, 'passwd'), 'evil:x:0:0::/:/bin/sh\n');
    mkdirSync(join(rootfs, 'etc'));
    symlinkSync('../../../../../passwd', join(rootfs, 'etc', 'passwd'));
    await expect(resolveUser(rootfs, 'evil')).rejects.toThrow('unable to find user evil');
    // Inside the rootfs, /passwd is what the link means from the container's point of view.
    writeFileSync(join(rootfs, 'passwd'), 'inside:x:7:8::/:/bin/sh\n');
    expect(await resolveUser(rootfs, 'inside')).toEqual({ uid: 7, gid: 8, additionalGids: [8] });
  });

  it('resolves an absolute link relative to the rootfs', async () => {
    mkdirSync(join(rootfs, 'etc'));
    mkdirSync(join(rootfs, 'data'));
    writeFileSync(join(rootfs, 'data', 'passwd'), 'svc:x:70:71::/:/bin/sh\n');
    symlinkSync('/data/passwd', join(rootfs, 'etc', 'passwd'));
    expect(await resolveUser(rootfs, 'svc')).toEqual({ uid: 70, gid: 71, additionalGids: [71] });
  });
});

describe('--group-add', () => {
  const groups = parseGroup('root:x:0:\naudio:x:29:\nstaff:x:50:app\n');
  it('takes names and numbers from the group file, unknown numbers as given, once each', () => {
    expect(additionalGroupsFrom(['audio', '50', '1234', '29'], groups)).toEqual([29, 50, 1234]);
  });
  it('fails on a name the group file does not have, as runc does for dockerd', () => {
    expect(() => additionalGroupsFrom(['video'], groups)).toThrow('Unable to find group video: no matching entries in group file');
    expect(() => additionalGroupsFrom(['video'], undefined)).toThrow('Unable to find group video');
  });
});
