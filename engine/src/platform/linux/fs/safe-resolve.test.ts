// The one resolver for paths inside a container or layer (DESIGN.md rule 5): ContainerView's
// walk over fs/at.ts, and the cp-in extractor and tar writer built on it. Every case here is a
// way a path could lead out of its root; each must stay inside, or be refused.
import { execFileSync } from 'node:child_process';
import { existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pack, extract } from 'tar-stream';
import { afterAll, describe, expect, it } from 'vitest';
import { ContainerView, withTreeView } from '../container-files/container-view.ts';
import { extractIntoView } from '../container-files/tar-in.ts';
import { tarFromView } from '../container-files/tar-out.ts';
import { openFileAt, openRoot, removeAt } from './at.ts';

const tmp = mkdtempSync(join(tmpdir(), 'berth-safe-resolve-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

/** A fresh rootfs and, beside it, a host directory holding a marker no lookup may reach. */
function fixture(): { root: string; outside: string } {
  const base = join(tmp, `case-${n++}`);
  const root = join(base, 'rootfs');
  const outside = join(base, 'outside');
  mkdirSync(join(root, 'etc'), { recursive: true });
  mkdirSync(outside, { recursive: true });
  writeFileSync(join(root, 'etc', 'passwd'), 'inside\n');
  writeFileSync(join(outside, 'passwd'), 'HOST\n');
  return { root, outside };
}

async function readVia(root: string, path: string): Promise<string | undefined> {
  return withTreeView(root, async (view) => {
    const found = await view.resolve(path);
    const file = found && (await openFileAt(found.loc));
    if (!file) return undefined;
    try {
      return await file.handle.readFile('utf8');
    } finally {
      await file.handle.close();
    }
  });
}

async function tarOf(entries: Array<{ name: string; type?: 'file' | 'directory' | 'symlink' | 'link'; linkname?: string; content?: string }>): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of p) chunks.push(c as Buffer);
  })();
  for (const e of entries) {
    await new Promise<void>((resolve, reject) => {
      const header = { name: e.name, type: e.type ?? 'file', linkname: e.linkname, mode: e.type === 'directory' ? 0o755 : 0o644 };
      const cb = (error?: Error | null) => (error ? reject(error) : resolve());
      if (header.type === 'file') p.entry(header, e.content ?? '', cb);
      else p.entry(header, cb);
    });
  }
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

async function extractTo(root: string, dest: string, tar: Buffer): Promise<void> {
  await withTreeView(root, (view) => extractIntoView(view, Readable.from([tar]), { dest, noOverwriteDirNonDir: false }));
}

async function names(stream: Readable): Promise<Array<{ name: string; type: string; body: string }>> {
  const out: Array<{ name: string; type: string; body: string }> = [];
  const ex = extract();
  stream.pipe(ex as unknown as NodeJS.WritableStream);
  for await (const entry of ex) {
    const chunks: Buffer[] = [];
    for await (const c of entry) chunks.push(c as Buffer);
    out.push({ name: entry.header.name, type: entry.header.type ?? 'file', body: Buffer.concat(chunks).toString() });
  }
  return out;
}

describe('resolving inside a root', () => {
  it('clamps `..` at the root, as a chroot does', async () => {
    const { root } = fixture();
    expect(await readVia(root, '/../../../etc/passwd')).toBe('inside\n');
    expect(await readVia(root, '/etc/../../etc/passwd')).toBe('inside\n');
  });

  it('follows an absolute symlink from the root, never from the host /', async () => {
    const { root, outside } = fixture();
    symlinkSync(outside, join(root, 'abs'));
    symlinkSync('/etc', join(root, 'etc-link'));
    expect(await readVia(root, '/abs/passwd')).toBeUndefined(); // `outside` does not exist inside
    expect(await readVia(root, '/etc-link/passwd')).toBe('inside\n');
    await withTreeView(root, async (view) => expect((await view.resolve('/etc-link/passwd'))?.path).toBe('/etc/passwd'));
  });

  it('keeps relative symlinks that climb out inside the root', async () => {
    const { root } = fixture();
    mkdirSync(join(root, 'a/b'), { recursive: true });
    symlinkSync('../../../../../../../../etc', join(root, 'a/b/up'));
    expect(await readVia(root, '/a/b/up/passwd')).toBe('inside\n');
  });

  it('refuses a symlink loop instead of spinning', async () => {
    const { root } = fixture();
    symlinkSync('/loop2', join(root, 'loop1'));
    symlinkSync('/loop1', join(root, 'loop2'));
    await withTreeView(root, async (view) => {
      await expect(view.resolve('/loop1/x')).rejects.toThrow(/too many levels of symbolic links/);
    });
  });

  it('never opens a device node, a fifo or a symlink for reading', async () => {
    const { root } = fixture();
    execFileSync('mknod', [join(root, 'null'), 'c', '1', '3']);
    execFileSync('mkfifo', [join(root, 'fifo')]);
    symlinkSync('/etc/passwd', join(root, 'link'));
    const dir = await openRoot(root);
    try {
      // A fifo opened for reading would block: openFileAt must decline it without opening it.
      for (const name of ['null', 'fifo', 'link']) expect(await openFileAt({ dir, name })).toBeUndefined();
    } finally {
      await dir.close();
    }
  });

  it('holds the directory it looked up: a swap to a symlink after the lookup changes nothing', async () => {
    const { root, outside } = fixture();
    mkdirSync(join(root, 'w/d'), { recursive: true });
    writeFileSync(join(root, 'w/d/passwd'), 'in d\n');
    await withTreeView(root, async (view) => {
      const found = await view.resolve('/w/d');
      expect(found).toBeDefined();
      // The container swaps the directory for a symlink to a host path.
      execFileSync('mv', [join(root, 'w/d'), join(root, 'w/moved')]);
      symlinkSync(outside, join(root, 'w/d'));
      const file = await openFileAt({ dir: found!.loc.dir, name: 'passwd' });
      expect(await file!.handle.readFile('utf8')).toBe('in d\n');
      await file!.handle.close();
      // A fresh lookup follows the new link inside the root, where `outside` does not exist.
      expect(await readVia(root, '/w/d/passwd')).toBeUndefined();
    });
  });
});

describe('writing inside a root (cp in)', () => {
  it('writes through planted symlinks only inside the root, absolute or climbing', async () => {
    const { root, outside } = fixture();
    await extractTo(
      root,
      '/',
      await tarOf([
        { name: 'abs', type: 'symlink', linkname: outside },
        { name: 'abs/pwned', content: 'x' },
        { name: 'rel', type: 'symlink', linkname: '../../../../..' + outside },
        { name: 'rel/pwned-rel', content: 'y' },
      ]),
    );
    expect(existsSync(join(outside, 'pwned'))).toBe(false);
    expect(existsSync(join(outside, 'pwned-rel'))).toBe(false);
    expect(readFileSync(join(root, outside, 'pwned'), 'utf8')).toBe('x');
    expect(readFileSync(join(root, outside, 'pwned-rel'), 'utf8')).toBe('y');
  });

  it('refuses a hard link to anything outside the extraction directory', async () => {
    const { root, outside } = fixture();
    await expect(extractTo(root, '/', await tarOf([{ name: 'h', type: 'link', linkname: '../outside/passwd' }]))).rejects.toThrow(/escapes/);
    // An absolute link name is taken inside the root: there is no such entry, so it is refused.
    await expect(extractTo(root, '/', await tarOf([{ name: 'h', type: 'link', linkname: join(outside, 'passwd') }]))).rejects.toThrow(/hardlink/);
    expect(lstatSync(join(outside, 'passwd')).nlink).toBe(1);
    // A link to an entry inside works.
    await extractTo(root, '/', await tarOf([{ name: 'h2', type: 'link', linkname: 'etc/passwd' }]));
    expect(lstatSync(join(root, 'etc/passwd')).nlink).toBe(2);
  });

  it('replaces a symlink to a host directory with the entry, never writing through it', async () => {
    const { root, outside } = fixture();
    symlinkSync(outside, join(root, 'target'));
    await extractTo(root, '/', await tarOf([{ name: 'target/', type: 'directory' }, { name: 'target/new', content: 'z' }]));
    expect(existsSync(join(outside, 'new'))).toBe(false);
    expect(lstatSync(join(root, 'target')).isDirectory()).toBe(true);
    expect(readFileSync(join(root, 'target/new'), 'utf8')).toBe('z');
  });

  it('removes a tree without following a symlink inside it', async () => {
    const { root, outside } = fixture();
    mkdirSync(join(root, 'tree/sub'), { recursive: true });
    symlinkSync(outside, join(root, 'tree/sub/out'));
    const dir = await openRoot(root);
    try {
      await removeAt({ dir, name: 'tree' });
    } finally {
      await dir.close();
    }
    expect(existsSync(join(root, 'tree'))).toBe(false);
    expect(readFileSync(join(outside, 'passwd'), 'utf8')).toBe('HOST\n');
  });
});

describe('reading a tree out (cp out, export)', () => {
  it('archives symlinks as links, device nodes as headers, hard links once, and whiteouts as the devices they are', async () => {
    const { root, outside } = fixture();
    symlinkSync(outside, join(root, 'out'));
    execFileSync('mknod', [join(root, 'null'), 'c', '1', '3']);
    execFileSync('mknod', [join(root, 'gone'), 'c', '0', '0']); // an overlayfs whiteout
    linkSync(join(root, 'etc/passwd'), join(root, 'etc/passwd2'));
    // tarFromView closes the view it is given when the stream ends.
    const entries = await names(tarFromView(new ContainerView(root, []), { parts: [], topName: '', childPrefix: '' }));
    const byName = new Map(entries.map((e) => [e.name, e]));
    expect(byName.get('out')).toMatchObject({ type: 'symlink' });
    expect(byName.get('null')).toMatchObject({ type: 'character-device' });
    expect(byName.get('gone')).toMatchObject({ type: 'character-device' });
    expect(byName.get('etc/passwd')).toMatchObject({ type: 'file', body: 'inside\n' });
    expect(byName.get('etc/passwd2')).toMatchObject({ type: 'link' });
    expect(entries.some((e) => e.body.includes('HOST'))).toBe(false);
  });
});
