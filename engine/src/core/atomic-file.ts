// Crash-safe metadata writes (DESIGN.md rule 4): write a temp file, fsync it, rename it over the
// target, fsync the directory. A crash leaves either the old or the new file, never half of one.
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export async function writeFileAtomic(path: string, data: string | Buffer): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  const dirHandle = await open(dir, 'r');
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value));
}

/** Reads every `<name>.json` record of a directory written with writeJsonAtomic, skipping the
 * temp files of writes that crashed before their rename. With `skipUnreadable`, a file that does
 * not parse is left out instead of failing the load. */
export async function readJsonRecords<T>(dir: string, options: { skipUnreadable?: boolean } = {}): Promise<T[]> {
  await mkdir(dir, { recursive: true });
  const records: T[] = [];
  for (const file of await readdir(dir)) {
    if (!file.endsWith('.json') || file.startsWith('.')) continue;
    try {
      records.push(JSON.parse(await readFile(join(dir, file), 'utf8')) as T);
    } catch (error) {
      if (!options.skipUnreadable) throw error;
    }
  }
  return records;
}
