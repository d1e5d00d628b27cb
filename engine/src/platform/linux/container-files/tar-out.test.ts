import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extract } from 'tar-stream';
import { afterAll, describe, expect, it } from 'vitest';
import { openRoot } from '../fs/at.ts';
import { lookUpEntry } from '../tar-file-entry.ts';
import { ContainerView } from './container-view.ts';
import { tarFromView } from './tar-out.ts';

const dir = mkdtempSync(join(tmpdir(), 'berth-tar-out-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function entriesOf(stream: NodeJS.ReadableStream): Promise<Array<{ name: string; type: string; linkname?: string; body: string }>> {
  const out: Array<{ name: string; type: string; linkname?: string; body: string }> = [];
  const parser = extract();
  parser.on('entry', (header, body, next) => {
    const chunks: Buffer[] = [];
    body.on('data', (c) => void chunks.push(c as Buffer));
    body.on('end', () => {
      out.push({ name: header.name, type: header.type ?? 'file', ...(header.linkname ? { linkname: header.linkname } : {}), body: Buffer.concat(chunks).toString() });
      next();
    });
  });
  const done = new Promise<void>((resolve, reject) => {
    parser.on('finish', () => resolve());
    parser.on('error', reject);
  });
  stream.pipe(parser as unknown as NodeJS.WritableStream);
  await done;
  return out;
}

describe('docker export of a rootfs', () => {
  it('packs files, directories, symlinks (looked at without opening them), hard links and fifos in order', async () => {
    const rootfs = join(dir, 'rootfs');
    mkdirSync(join(rootfs, 'bin'), { recursive: true });
    writeFileSync(join(rootfs, 'bin', 'busybox'), 'the binary');
    for (const applet of ['cat', 'ls', 'sh']) symlinkSync('busybox', join(rootfs, 'bin', applet));
    linkSync(join(rootfs, 'bin', 'busybox'), join(rootfs, 'bin', 'zz-hardlink'));
    symlinkSync('/nowhere', join(rootfs, 'dangling'));
    execFileSync('mkfifo', [join(rootfs, 'pipe')]); // coreutils: Node has no mkfifo
    const entries = await entriesOf(tarFromView(new ContainerView(rootfs, []), { parts: [], topName: '', childPrefix: '' }));
    expect(entries).toEqual([
      { name: 'bin/', type: 'directory', body: '' },
      { name: 'bin/busybox', type: 'file', body: 'the binary' },
      { name: 'bin/cat', type: 'symlink', linkname: 'busybox', body: '' },
      { name: 'bin/ls', type: 'symlink', linkname: 'busybox', body: '' },
      { name: 'bin/sh', type: 'symlink', linkname: 'busybox', body: '' },
      { name: 'bin/zz-hardlink', type: 'link', linkname: 'bin/busybox', body: '' },
      { name: 'dangling', type: 'symlink', linkname: '/nowhere', body: '' },
      { name: 'pipe', type: 'fifo', body: '' },
    ]);
  });

  it('opens an entry the listing called a symlink when it is a regular file or a directory by now', async () => {
    const tree = join(dir, 'swapped');
    mkdirSync(join(tree, 'was-a-link'), { recursive: true });
    writeFileSync(join(tree, 'also-a-link'), 'bytes');
    const root = await openRoot(tree);
    try {
      const listedAsLink = { isDirectory: () => false, isFile: () => false };
      for (const name of ['was-a-link', 'also-a-link']) {
        const entry = await lookUpEntry({ dir: root, name }, listedAsLink);
        expect(entry?.handle).toBeDefined(); // opened: bytes and children come from this inode
        await entry?.handle?.close();
      }
      expect(await lookUpEntry({ dir: root, name: 'gone' }, listedAsLink)).toBeUndefined();
    } finally {
      await root.close();
    }
  });
});
