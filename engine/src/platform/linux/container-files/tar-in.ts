// `PUT /containers/{id}/archive`: extracts an uploaded tar into a directory of a container view,
// with dockerd's rules (moby daemon/archive_unix.go containerExtractToDir and go-archive Unpack):
// entry names are cleaned and may not climb out of the extraction directory; every parent is
// resolved chroot-style by the layer unpacker's RootedResolver, so a symlink planted by an
// earlier entry (or by the container) never leads a write out of the rootfs or volume
// (CVE-2018-15664, CVE-2019-14271); noOverwriteDirNonDir keeps directories and non-directories
// from replacing each other; ownership comes from the tar unless `chown` overrides it.
import { chmod, lchown, link, lstat, lutimes, mkdir, open, rm, symlink, utimes } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { extract as tarExtract, type Header } from 'tar-stream';
import { invalid } from '../../../core/errors.ts';
import { openDecompressed } from '../layer-decompress.ts';
import { cleanEntryName, RootedResolver, type ResolvedPath } from '../safe-path.ts';
import type { ContainerView } from './container-view.ts';

export interface ExtractOptions {
  /** Canonical container path of the extraction directory (symlinks already resolved). */
  dest: string;
  noOverwriteDirNonDir: boolean;
  /** copyUIDGID with a container user: every entry is owned by this uid/gid instead. */
  chown?: { uid: number; gid: number };
}

interface Target {
  resolver: RootedResolver;
  rel: string;
}

interface Meta {
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
}

export async function extractIntoView(view: ContainerView, body: Readable, options: ExtractOptions): Promise<void> {
  // gzip and zstd uploads are accepted as dockerd accepts compressed ones (DecompressStream).
  const { stream } = await openDecompressed(body, '');
  const extract = tarExtract();
  stream.on('error', (error) => extract.destroy(error));
  stream.pipe(extract as unknown as NodeJS.WritableStream);
  const extractor = new ViewExtractor(view, options);
  try {
    for await (const entry of extract) {
      await extractor.add(entry.header, entry);
    }
    await extractor.finish();
  } finally {
    stream.destroy();
  }
}

class ViewExtractor {
  readonly #view: ContainerView;
  readonly #options: ExtractOptions;
  readonly #resolvers = new Map<string, RootedResolver>();
  readonly #dirs: Array<{ path: string; meta: Meta }> = [];

  constructor(view: ContainerView, options: ExtractOptions) {
    this.#view = view;
    this.#options = options;
  }

  async add(header: Header, body: AsyncIterable<unknown>): Promise<void> {
    let rel: string;
    try {
      rel = cleanEntryName(header.name);
    } catch {
      // go-archive Unpack: a name that is not local to the extraction root is a breakout.
      throw invalid(`invalid entry name ${JSON.stringify(header.name)}: it escapes the extraction directory ${this.#options.dest}`);
    }
    if (rel === '') return drain(body);
    const target = this.#target(rel);
    if (target.rel === '') return drain(body); // the mount point itself: the mount owns it
    const resolved = await target.resolver.resolve(target.rel);
    const type = header.type ?? 'file';
    const existing = await lstat(resolved.path).catch(() => undefined);
    if (existing) {
      // Wording and argument order as go-archive's Unpack (entry name, then destination).
      if (this.#options.noOverwriteDirNonDir && existing.isDirectory() && type !== 'directory') {
        throw invalid(`cannot overwrite directory ${JSON.stringify(rel)} with non-directory ${JSON.stringify(this.#options.dest)}`);
      }
      if (this.#options.noOverwriteDirNonDir && !existing.isDirectory() && type === 'directory') {
        throw invalid(`cannot overwrite non-directory ${JSON.stringify(rel)} with directory ${JSON.stringify(this.#options.dest)}`);
      }
      if (!existing.isDirectory() || type !== 'directory') {
        await rm(resolved.path, { recursive: true, force: true });
        target.resolver.forget(resolved.path);
      }
    }
    const meta = this.#meta(header);
    switch (type) {
      case 'directory':
        await drain(body);
        if (!existing?.isDirectory()) await mkdir(resolved.path, { mode: 0o700 });
        target.resolver.noteDir(resolved.path);
        await lchown(resolved.path, meta.uid, meta.gid);
        await chmod(resolved.path, meta.mode);
        this.#dirs.push({ path: resolved.path, meta });
        return;
      case 'file':
      case 'contiguous-file':
        return writeFile(resolved, body, meta);
      case 'symlink':
        await drain(body);
        // Stored verbatim: it is only ever resolved inside the container.
        await symlink(header.linkname ?? '', resolved.path);
        await lchown(resolved.path, meta.uid, meta.gid);
        await lutimes(resolved.path, meta.mtime, meta.mtime);
        return;
      case 'link':
        await drain(body);
        return this.#hardlink(rel, header.linkname ?? '', target, resolved);
      default:
        // Device nodes and fifos need mknod(2), which Node lacks; containers get theirs from /dev.
        return drain(body);
    }
  }

  /** Directory times last: creating entries inside a directory changes its mtime. */
  async finish(): Promise<void> {
    for (const { path, meta } of this.#dirs.reverse()) {
      const stat = await lstat(path).catch(() => undefined);
      if (stat?.isDirectory()) await utimes(path, meta.mtime, meta.mtime);
    }
  }

  /** Where an entry lands: the innermost mount containing it, else the rootfs. */
  #target(rel: string): Target {
    const path = `${this.#options.dest === '/' ? '' : this.#options.dest}/${rel}`;
    const mount = this.#view.mountOf(path);
    if (mount && !mount.rw) throw invalid('mounted volume is marked read-only');
    const root = mount ? mount.source : this.#view.rootfs;
    let resolver = this.#resolvers.get(root);
    if (!resolver) this.#resolvers.set(root, (resolver = new RootedResolver(root)));
    const under = mount ? path.slice(mount.destination.length) : path;
    return { resolver, rel: under.split('/').filter(Boolean).join('/') };
  }

  async #hardlink(rel: string, linkname: string, target: Target, resolved: ResolvedPath): Promise<void> {
    // A tar hard link names another entry of the same archive (relative to the extraction
    // directory): resolve it the same way, and refuse anything that is not already there.
    let linkRel: string;
    try {
      linkRel = cleanEntryName(linkname);
    } catch {
      throw invalid(`invalid hardlink ${JSON.stringify(rel)} -> ${JSON.stringify(linkname)}: it escapes the extraction directory`);
    }
    const source = linkRel === '' ? undefined : this.#target(linkRel);
    if (!source || source.resolver !== target.resolver || source.rel === '') throw invalid(`invalid hardlink ${JSON.stringify(rel)} -> ${JSON.stringify(linkname)}`);
    const from = await source.resolver.resolve(source.rel, false);
    const stat = await lstat(from.path).catch(() => undefined);
    if (!stat || stat.isDirectory()) throw invalid(`invalid hardlink ${JSON.stringify(rel)} -> ${JSON.stringify(linkname)}: target missing or a directory`);
    await link(from.path, resolved.path);
  }

  #meta(header: Header): Meta {
    // PAX records carry ids beyond ustar's octal fields and sub-second times.
    const pax = (header.pax ?? {}) as Record<string, string>;
    const mtime = pax.mtime !== undefined ? Number(pax.mtime) : (header.mtime?.getTime() ?? 0) / 1000;
    const owner = this.#options.chown ?? {
      uid: pax.uid !== undefined ? Number(pax.uid) : (header.uid ?? 0),
      gid: pax.gid !== undefined ? Number(pax.gid) : (header.gid ?? 0),
    };
    return { mode: (header.mode ?? 0o644) & 0o7777, ...owner, mtime: Number.isFinite(mtime) ? mtime : 0 };
  }
}

async function writeFile(resolved: ResolvedPath, body: AsyncIterable<unknown>, meta: Meta): Promise<void> {
  // 'wx' = O_CREAT|O_EXCL: never opens through a symlink slipped in at the final name.
  const handle = await open(resolved.path, 'wx', 0o600);
  try {
    for await (const chunk of body) await handle.write(chunk as Buffer);
    await handle.chown(meta.uid, meta.gid);
    await handle.chmod(meta.mode); // after chown, which clears setuid/setgid
    await handle.utimes(meta.mtime, meta.mtime);
  } finally {
    await handle.close();
  }
}

async function drain(body: AsyncIterable<unknown>): Promise<void> {
  for await (const _chunk of body) {
    // discard
  }
}
