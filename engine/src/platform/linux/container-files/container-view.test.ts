import { mkdirSync, mkdtempSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanCpPath, cpBaseName, ContainerView } from './container-view.ts';

const dir = mkdtempSync(join(tmpdir(), 'berth-view-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cp path rules (moby archive.PreserveTrailingDotOrSeparator)', () => {
  it('cleans lexically and remembers a trailing "/" or "/."', () => {
    expect(cleanCpPath('etc/../etc//passwd')).toEqual({ clean: '/etc/passwd', assertsDir: false, currentDir: false });
    expect(cleanCpPath('/etc/')).toEqual({ clean: '/etc', assertsDir: true, currentDir: false });
    expect(cleanCpPath('/etc/.')).toEqual({ clean: '/etc', assertsDir: true, currentDir: true });
    expect(cpBaseName('/etc/.')).toBe('.');
    expect(cpBaseName('/etc/')).toBe('etc');
    expect(cpBaseName('/')).toBe('/');
  });
});

describe('ContainerView', () => {
  const rootfs = join(dir, 'rootfs');
  const volume = join(dir, 'volume');
  const inner = join(dir, 'inner');
  mkdirSync(join(rootfs, 'data'), { recursive: true });
  mkdirSync(join(rootfs, 'etc'), { recursive: true });
  mkdirSync(volume);
  mkdirSync(inner);
  writeFileSync(join(inner, 'deep.txt'), 'deep');
  symlinkSync('/data/sub', join(rootfs, 'shortcut'));
  symlinkSync('../../../../../../etc', join(volume, 'up'));
  const view = new ContainerView(rootfs, [
    { destination: '/data', source: volume, rw: true },
    { destination: '/data/sub/', source: inner, rw: false },
  ]);

  /** The host path a resolution landed on: the held directory's path plus the name. */
  const host = async (path: string) => {
    const found = await view.resolve(path);
    if (!found) return undefined;
    return join(readlinkSync(`/proc/self/fd/${found.loc.dir.fd}`), found.loc.name);
  };
  afterAll(() => view.close());

  it('maps paths under a mount to its source, the longest destination winning', async () => {
    expect(await host('/data/x')).toBe(join(volume, 'x'));
    const deep = await view.resolve('/shortcut/deep.txt');
    expect(deep).toMatchObject({ path: '/data/sub/deep.txt' });
    expect(await host('/shortcut/deep.txt')).toBe(join(inner, 'deep.txt'));
    expect(deep?.mount?.rw).toBe(false);
    expect(await host('/etc/x')).toBe(join(rootfs, 'etc/x'));
  });

  it('resolves symlinks inside a volume against the container root, never the host', async () => {
    expect(await view.resolve('/data/up/passwd')).toMatchObject({ path: '/etc/passwd' });
    expect(await host('/data/up/passwd')).toBe(join(rootfs, 'etc/passwd'));
  });

  it('stats the link itself unless a trailing slash asks for its directory', async () => {
    const link = await view.stat('/shortcut');
    expect(link?.stat).toMatchObject({ name: 'shortcut', linkTarget: '/data/sub' });
    expect(link!.stat.mode).toBe(2 ** 27 + 0o777);
    const target = await view.stat('/shortcut/');
    expect(target?.stat.mode).toBeGreaterThanOrEqual(2 ** 31);
    expect(await view.stat('/missing')).toBeUndefined();
  });
});
