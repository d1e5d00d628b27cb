// Path resolution for layer unpacking (DESIGN.md rule 5). Tar entry names and hardlink targets
// are untrusted: they may hold `..`, absolute paths, or walk through symlinks an earlier entry
// planted (the CVE-2018-15664 / CVE-2019-14271 family). Nothing here ever asks the kernel to
// follow a symlink: every parent component is lstat'ed, and symlinks met on the way are resolved
// by hand against the layer root, the way a chroot would resolve them (`/` and `..` stop at the
// root). The layer directory is private to the unpacker, so what we lstat cannot change under us.
import { lstat, mkdir, readlink } from 'node:fs/promises';
import { EngineError, invalid } from '../../core/errors.ts';

/** Linux gives up after 40 symlinks in one lookup (MAXSYMLINKS); so do we. */
const MAX_SYMLINK_HOPS = 40;

/**
 * Normalises a tar entry name to a clean path relative to the layer root ('' = the root itself).
 * A leading `/` is stripped (GNU tar's default, and what Docker does by joining onto the root);
 * a name whose `..` components climb above the root is rejected, as Docker rejects it
 * ("breakout"), because no honest layer producer writes one.
 */
export function cleanEntryName(name: string): string {
  if (name.includes('\0')) throw invalid(`layer entry name contains a NUL byte: ${JSON.stringify(name)}`);
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) throw invalid(`layer entry ${JSON.stringify(name)} escapes the layer root`);
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  return parts.join('/');
}

export interface ResolvedPath {
  /** Absolute path of the (real, non-symlink) parent directory inside the root. */
  dir: string;
  /** Last component; never '', '.' or '..'. */
  name: string;
  /** `dir/name`. */
  path: string;
}

/**
 * Resolves relative paths under `root` without following symlinks out of it. `settle(path)` is
 * awaited before a path is inspected, so writes still in flight for it land first.
 */
export class RootedResolver {
  readonly root: string;
  readonly #settle: (path: string) => Promise<void> | undefined;
  /** Absolute paths already known to be real directories (created or lstat'ed by us). */
  readonly #dirs = new Set<string>();

  constructor(root: string, settle: (path: string) => Promise<void> | undefined = () => undefined) {
    this.root = root.replace(/\/+$/, '') || '/';
    this.#settle = settle;
    this.#dirs.add(this.root);
  }

  /** Resolves the parent of `rel` (a cleanEntryName result, not '') chroot-style; missing
   * directories are created (mode 0755, fixed later by the directory's own entry, if any). */
  async resolve(rel: string, create = true): Promise<ResolvedPath> {
    const parts = rel.split('/');
    const name = parts.pop();
    if (!name) throw invalid('empty layer path');
    const dir = await this.#resolveDir(parts, create, rel);
    return { dir, name, path: join2(dir, name) };
  }

  /** Resolves `rel` itself as a directory (following symlinks inside the root), creating it. */
  async resolveDir(rel: string): Promise<string> {
    return this.#resolveDir(rel === '' ? [] : rel.split('/'), true, rel);
  }

  /** Resolves `rel` as an existing directory (following symlinks inside the root); undefined when
   * it, or a parent, is missing or not a directory. Creates nothing. */
  async existingDir(rel: string): Promise<string | undefined> {
    return this.#resolveDir(rel === '' ? [] : rel.split('/'), false, rel).catch((error: unknown) => {
      if (error instanceof EngineError && error.kind === 'invalid' && !/too many levels/.test(error.message)) return undefined;
      throw error;
    });
  }

  /** Records that `path` is now a real directory we created. */
  noteDir(path: string): void {
    this.#dirs.add(path);
  }

  knowsDir(path: string): boolean {
    return this.#dirs.has(path);
  }

  /** Forgets `path` and everything under it (it was removed or replaced). */
  forget(path: string): void {
    const prefix = path + '/';
    for (const dir of this.#dirs) if (dir === path || dir.startsWith(prefix)) this.#dirs.delete(dir);
  }

  async #resolveDir(components: string[], create: boolean, rel: string): Promise<string> {
    const queue = components.slice();
    const stack: string[] = [];
    let hops = 0;
    while (queue.length > 0) {
      const part = queue.shift() as string;
      if (part === '' || part === '.') continue;
      if (part === '..') {
        stack.pop(); // `..` at the root stays at the root, as in a chroot
        continue;
      }
      const current = join2(this.#pathOf(stack), part);
      if (this.#dirs.has(current)) {
        stack.push(part);
        continue;
      }
      await this.#settle(current);
      const stat = await lstat(current).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      });
      if (stat === undefined) {
        if (!create) throw invalid(`layer path ${JSON.stringify(rel)}: ${JSON.stringify(this.#relOf(current))} does not exist in this layer`);
        await mkdir(current, { mode: 0o755 });
        this.#dirs.add(current);
        stack.push(part);
      } else if (stat.isDirectory()) {
        this.#dirs.add(current);
        stack.push(part);
      } else if (stat.isSymbolicLink()) {
        if (++hops > MAX_SYMLINK_HOPS) throw invalid(`layer path ${JSON.stringify(rel)}: too many levels of symbolic links`);
        const target = await readlink(current);
        // An absolute target restarts at the layer root, never at the host's `/`.
        if (target.startsWith('/')) stack.length = 0;
        queue.unshift(...target.split('/'));
      } else {
        throw invalid(`layer path ${JSON.stringify(rel)}: ${JSON.stringify(this.#relOf(current))} is not a directory`);
      }
    }
    return this.#pathOf(stack);
  }

  #pathOf(stack: string[]): string {
    return stack.length === 0 ? this.root : join2(this.root, stack.join('/'));
  }

  #relOf(path: string): string {
    return path.slice(this.root.length + 1);
  }
}

function join2(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}
