// Bytes a directory tree occupies (regular files, counted once per inode), for SizeRw and the
// space prune reclaims. Symlinks are not followed; unreadable entries count as zero.
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export async function dirSize(root: string): Promise<number> {
  const seen = new Set<string>();
  let total = 0;
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        await walk(path);
      } else if (entry.isFile()) {
        const st = await lstat(path).catch(() => undefined);
        if (!st) continue;
        const key = `${st.dev}:${st.ino}`;
        if (seen.has(key)) continue;
        seen.add(key);
        total += st.size;
      }
    }
  };
  await walk(root);
  return total;
}
