// Persistent network namespaces, one file per container under <exec-root>/netns (what
// `ip netns add` does under /run/netns): util-linux `unshare --net=<file>` bind-mounts the new
// namespace onto the file, so it outlives the process and netavark and runc can both join it.
import { execFile } from 'node:child_process';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { systemError } from '../../../core/errors.ts';

const run = promisify(execFile);

function stderrOf(error: unknown): string {
  return ((error as { stderr?: string }).stderr ?? '').trim() || (error as Error).message;
}

export class NetnsManager {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  pathOf(containerId: string): string {
    return join(this.#dir, containerId);
  }

  async create(containerId: string): Promise<string> {
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const path = this.pathOf(containerId);
    // A leftover from a crash would be an old namespace (or a stale mount): start clean. Only a
    // file that is there can be one, and the check spares the common case an `umount` process.
    if (await stat(path).then(() => true, () => false)) await this.remove(path);
    await writeFile(path, '', { mode: 0o600 });
    try {
      await run('unshare', [`--net=${path}`, 'true']);
    } catch (error) {
      await rm(path, { force: true });
      throw systemError(`creating network namespace ${path}: ${stderrOf(error)}`, error);
    }
    return path;
  }

  /** umount + rm; quiet when the file or its mount are already gone. */
  async remove(path: string): Promise<void> {
    // Lazy unmount: a process still holding the namespace (a late exec) keeps it alive without
    // blocking us; the namespace itself goes away with its last user.
    await run('umount', ['-l', path]).catch(() => undefined);
    await rm(path, { force: true });
  }
}
