import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { overlayChanges } from './overlay-changes.ts';

const dir = mkdtempSync(join(tmpdir(), 'berth-changes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tree(root: string, files: Record<string, string | null>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, content === null ? '' : '..'), { recursive: true });
    if (content !== null) writeFileSync(join(root, path), content);
  }
}

describe('overlayChanges', () => {
  it('reports additions with their subtree, modifications, parents, and names an opaque directory hid', async () => {
    const lower = join(dir, 'lower');
    const upper = join(dir, 'upper');
    const merged = join(dir, 'merged');
    tree(lower, { 'etc/passwd': 'root', 'etc/group': 'root', 'opaque/old.txt': 'old', 'same/file': 'x' });
    // The upper dir as overlayfs leaves it: copied-up parents, changed and new entries.
    tree(upper, { 'etc/passwd': 'root\nextra', 'newdir/inner.txt': 'n', 'opaque/new.txt': 'new', 'same': null, 'etc/hosts': '' });
    // The merged view: the opaque directory no longer shows old.txt.
    tree(merged, { 'etc/passwd': '', 'etc/group': '', 'opaque/new.txt': '', 'same/file': '', 'newdir/inner.txt': '' });
    // An untouched file copied up keeps its metadata: same mtime and size, not a change.
    tree(upper, { 'same/file': 'x' });
    const when = new Date('2024-01-01T00:00:00Z');
    utimesSync(join(lower, 'same/file'), when, when);
    utimesSync(join(upper, 'same/file'), when, when);

    const changes = await overlayChanges({ upper, lowers: [lower], merged, ignore: new Set(['/etc/hosts']) });
    expect(changes).toEqual([
      { Path: '/etc', Kind: 0 },
      { Path: '/etc/passwd', Kind: 0 },
      { Path: '/newdir', Kind: 1 },
      { Path: '/newdir/inner.txt', Kind: 1 },
      { Path: '/opaque', Kind: 0 },
      { Path: '/opaque/new.txt', Kind: 1 },
      { Path: '/opaque/old.txt', Kind: 2 },
    ]);
  });
});
