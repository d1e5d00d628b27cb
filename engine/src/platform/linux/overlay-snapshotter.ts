// Snapshotter on overlayfs (DESIGN.md "Storage"): one read-only directory per layer addressed by
// chain ID (OCI image spec "ChainID"), one upper/work pair per container. Layers become visible
// only whole: they are unpacked under tmp/ and renamed into layers/ once their diff ID checks out,
// so a crash leaves nothing but tmp/ leftovers, removed when the snapshotter starts.
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { lstat, mkdir, open, readdir, readlink, realpath, rename, rm, stat, symlink, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { LayerApplyResult, Snapshotter, StagedLayer } from '../../core/interfaces.ts';
import { conflict, invalid, notFound } from '../../core/errors.ts';
import { unpackLayer } from './layer-unpack.ts';
import { OverlayLayout, chainHex, isChainHex, newLinkName, type LayerMeta } from './overlay-layout.ts';
import { isMountPoint, mountOverlay, mountPoints, unmount } from './overlay-mount.ts';
import { setupInitLayer } from './init-layer.ts';

export interface OverlaySnapshotterOptions {
  /** The engine's data root; everything lives under `<root>/overlay`. */
  root: string;
  /** Flush a layer's files to disk (syncfs) before committing it. Default true (rule 4). */
  syncLayers?: boolean;
  /** Give each new container snapshot dockerd's init layer (init-layer.ts). The engine does;
   * off by default so the snapshot is the image and nothing else. */
  initLayer?: boolean;
}

type ApplyOptions = Parameters<Snapshotter['applyLayer']>[0];

export class OverlaySnapshotter implements Snapshotter {
  readonly layout: OverlayLayout;
  readonly #syncLayers: boolean;
  readonly #initLayer: boolean;
  readonly #ready: Promise<void>;
  /** Applies in progress by chain ID hex: a second request for the same layer joins the first. */
  readonly #applying = new Map<string, Promise<LayerApplyResult>>();
  readonly #metaCache = new Map<string, LayerMeta>();
  /** Shared init layers being made, by chain ID hex: concurrent creates of one image make one. */
  readonly #makingInit = new Map<string, Promise<void>>();

  constructor(options: OverlaySnapshotterOptions) {
    this.layout = new OverlayLayout(options.root);
    this.#syncLayers = options.syncLayers ?? true;
    this.#initLayer = options.initLayer ?? false;
    this.#ready = this.#recover();
    this.#ready.catch(() => undefined); // surfaced by the first call that awaits it
  }

  /** Resolves once start-up cleanup has finished (every method also waits for it). */
  ready(): Promise<void> {
    return this.#ready;
  }

  async hasLayer(chainId: string): Promise<boolean> {
    await this.#ready;
    return (await this.#meta(chainId)) !== undefined;
  }

  applyLayer(opts: ApplyOptions): Promise<LayerApplyResult> {
    const hex = chainHex(opts.chainId);
    const running = this.#applying.get(hex);
    if (running) {
      opts.source.destroy(); // the first caller's stream supplies the content
      return running;
    }
    const applying = this.#apply(hex, opts).finally(() => this.#applying.delete(hex));
    this.#applying.set(hex, applying);
    return applying;
  }

  async layerSize(chainId: string): Promise<number> {
    await this.#ready;
    return (await this.#requireMeta(chainId)).size;
  }

  async removeLayer(chainId: string): Promise<void> {
    await this.#ready;
    const meta = await this.#requireMeta(chainId);
    for (const other of await this.listLayers()) {
      if ((await this.#meta(other))?.parent === chainId) throw conflict(`layer ${chainId} is the parent of layer ${other}`);
    }
    // Rename first: the layer disappears atomically, and tmp/ leftovers are swept on start.
    const doomed = join(this.layout.tmpDir, `rm-${chainHex(chainId)}-${randomBytes(4).toString('hex')}`);
    await rename(this.layout.layerDir(chainId), doomed);
    this.#metaCache.delete(chainId);
    await unlink(join(this.layout.linksDir, meta.link)).catch(() => undefined);
    await rm(doomed, { recursive: true, force: true });
  }

  async listLayers(): Promise<string[]> {
    await this.#ready;
    const names = await readdir(this.layout.layersDir);
    return names.filter(isChainHex).map((hex) => `sha256:${hex}`);
  }

  async mountContainer(id: string, chainId: string | undefined): Promise<string> {
    await this.#ready;
    const dir = this.layout.containerDir(id);
    const image = chainId === undefined ? ['empty'] : await this.#lowerLinks(chainId);
    // A new snapshot gets its init layer first (a crash before `upper` exists makes it again);
    // snapshots from before init layers existed keep running without one.
    if (this.#initLayer && !(await exists(join(dir, 'upper')))) {
      if (chainId === undefined) await this.#makeInitLayer(id, image);
      else await this.#linkSharedInitLayer(id, chainId, image);
    }
    const lower = (await exists(join(dir, 'init'))) ? [`containers/${id}/init`, ...image] : image;
    for (const sub of ['upper', 'work', 'merged']) await mkdir(join(dir, sub), { recursive: true, mode: 0o755 });
    const merged = await realpath(join(dir, 'merged'));
    if (await isMountPoint(merged)) return merged;
    await mountOverlay({ cwd: this.layout.base, lower, upper: `containers/${id}/upper`, work: `containers/${id}/work`, target: merged });
    return merged;
  }

  /** containers/<id>/init as a link to layers/<hex>/init: what the init layer holds depends on the
   * image alone, so the containers of one image share it as a read-only lower dir, made once.
   * That saves a mount, an unmount and a dozen file operations per container created. */
  async #linkSharedInitLayer(id: string, chainId: string, image: string[]): Promise<void> {
    const hex = chainHex(chainId);
    const shared = join(this.layout.layerDir(chainId), 'init');
    if (!(await exists(shared))) {
      let making = this.#makingInit.get(hex);
      if (!making) {
        making = this.#makeSharedInitLayer(shared, image).finally(() => this.#makingInit.delete(hex));
        this.#makingInit.set(hex, making);
      }
      await making;
    }
    const dir = this.layout.containerDir(id);
    await mkdir(dir, { recursive: true, mode: 0o755 });
    await rm(join(dir, 'init'), { recursive: true, force: true });
    // Relative, so a moved data root keeps working; removing the container removes the link only.
    await symlink(join('..', '..', 'layers', hex, 'init'), join(dir, 'init'));
  }

  /** Made under tmp/ (swept on start) through a short-lived overlay of the image, then renamed
   * into the layer's directory whole; the layer's removal takes it along. */
  async #makeSharedInitLayer(dest: string, image: string[]): Promise<void> {
    const name = `init-${randomBytes(6).toString('hex')}`;
    const tmp = join(this.layout.tmpDir, name);
    try {
      for (const sub of ['diff', 'work', 'merged']) await mkdir(join(tmp, sub), { recursive: true, mode: 0o755 });
      const merged = await realpath(join(tmp, 'merged'));
      await mountOverlay({ cwd: this.layout.base, lower: image, upper: `tmp/${name}/diff`, work: `tmp/${name}/work`, target: merged });
      try {
        await setupInitLayer(merged);
      } finally {
        await unmount(merged);
      }
      await rename(join(tmp, 'diff'), dest);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }

  /** containers/<id>/init (init-layer.ts), made in init-tmp/ through a short-lived overlay of the
   * image and renamed into place whole: for an image without layers. */
  async #makeInitLayer(id: string, image: string[]): Promise<void> {
    const dir = this.layout.containerDir(id);
    const tmp = join(dir, 'init-tmp');
    await unmount(join(tmp, 'merged')).catch(() => undefined);
    await rm(tmp, { recursive: true, force: true });
    await rm(join(dir, 'init'), { recursive: true, force: true });
    for (const sub of ['diff', 'work', 'merged']) await mkdir(join(tmp, sub), { recursive: true, mode: 0o755 });
    const merged = await realpath(join(tmp, 'merged'));
    await mountOverlay({ cwd: this.layout.base, lower: image, upper: `containers/${id}/init-tmp/diff`, work: `containers/${id}/init-tmp/work`, target: merged });
    try {
      await setupInitLayer(merged);
    } finally {
      await unmount(merged);
    }
    await rename(join(tmp, 'diff'), join(dir, 'init'));
    await rm(tmp, { recursive: true, force: true });
  }

  async unmountContainer(id: string): Promise<void> {
    await this.#ready;
    const merged = join(this.layout.containerDir(id), 'merged');
    const real = await realpath(merged).catch(() => undefined);
    if (real !== undefined) await unmount(real);
  }

  async removeContainer(id: string): Promise<void> {
    await this.unmountContainer(id);
    await rm(this.layout.containerDir(id), { recursive: true, force: true });
  }

  containerUpperDir(id: string): string {
    return join(this.layout.containerDir(id), 'upper');
  }

  async listContainers(): Promise<Array<{ id: string; mounted: boolean }>> {
    await this.#ready;
    const mounted = new Set(await mountPoints());
    const base = await realpath(this.layout.containersDir);
    const names = await readdir(this.layout.containersDir);
    return names.map((id) => ({ id, mounted: mounted.has(join(base, id, 'merged')) }));
  }

  async #apply(hex: string, opts: ApplyOptions): Promise<LayerApplyResult> {
    await this.#ready;
    const existing = await this.#meta(opts.chainId);
    if (existing) {
      opts.source.destroy();
      return { diffId: existing.diffId, size: existing.size };
    }
    const staged = await this.#unpack(hex.slice(0, 12), opts);
    if (staged.diffId !== opts.expectedDiffId) {
      await rm(staged.dir, { recursive: true, force: true }).catch(() => undefined);
      throw invalid(`layer diff ID mismatch: expected ${opts.expectedDiffId} got ${staged.diffId}`);
    }
    return this.#commit(hex, staged, opts.chainId, opts.parentChainId);
  }

  /** Unpacks a layer whose place in a chain is not known yet (`docker load` reads layers before
   * the manifest that orders them); `commit` then files it like `applyLayer` would. */
  async stageLayer(opts: Pick<ApplyOptions, 'source' | 'mediaType' | 'onBytes'>): Promise<StagedLayer> {
    await this.#ready;
    const staged = await this.#unpack('staged', opts);
    let taken = false;
    return {
      diffId: staged.diffId,
      size: staged.size,
      commit: (chainId, parentChainId) => {
        if (taken) throw invalid(`staged layer ${staged.diffId} was committed or discarded already`);
        taken = true;
        const hex = chainHex(chainId);
        const running = this.#applying.get(hex);
        const committing = running
          ? running.finally(() => rm(staged.dir, { recursive: true, force: true }).catch(() => undefined))
          : this.#commit(hex, staged, chainId, parentChainId).finally(() => this.#applying.delete(hex));
        if (!running) this.#applying.set(hex, committing);
        return committing;
      },
      discard: async () => {
        if (taken) return;
        taken = true;
        await rm(staged.dir, { recursive: true, force: true });
      },
    };
  }

  /** Unpacks into a fresh directory under tmp/ (removed again on failure). */
  async #unpack(label: string, opts: Pick<ApplyOptions, 'source' | 'mediaType' | 'onBytes'>): Promise<{ dir: string; diffId: string; size: number }> {
    const tmp = join(this.layout.tmpDir, `${label}-${randomBytes(6).toString('hex')}`);
    try {
      await mkdir(join(tmp, 'diff'), { recursive: true, mode: 0o755 });
      const result = await unpackLayer({ source: opts.source, mediaType: opts.mediaType, dest: join(tmp, 'diff'), onBytes: opts.onBytes });
      return { dir: tmp, diffId: result.diffId, size: result.size };
    } catch (error) {
      opts.source.destroy();
      await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
      throw error;
    }
  }

  /** Files an unpacked layer under its chain ID: after its parent (unpacking never reads the
   * parent, so the layers of one image unpack side by side; only the commit needs the parent
   * committed first, since a layer must not outlive its chain), flushed, linked, renamed. */
  async #commit(hex: string, staged: { dir: string; diffId: string; size: number }, chainId: string, parentChainId: string | undefined): Promise<LayerApplyResult> {
    const tmp = staged.dir;
    let link: string | undefined;
    try {
      if (parentChainId !== undefined) {
        await this.#applying.get(chainHex(parentChainId))?.catch(() => undefined);
        if (!(await this.#meta(parentChainId))) throw notFound(`parent layer ${parentChainId} of ${chainId} not found`);
      }
      const existing = await this.#meta(chainId);
      if (existing) {
        await rm(tmp, { recursive: true, force: true });
        return { diffId: existing.diffId, size: existing.size };
      }
      if (this.#syncLayers) await syncFilesystem(tmp);
      link = await this.#createLink(hex);
      const meta: LayerMeta = { chainId, parent: parentChainId ?? null, diffId: staged.diffId, size: staged.size, link };
      await OverlayLayout.writeMeta(tmp, meta);
      await rename(tmp, this.layout.layerDir(chainId));
      await fsyncDir(this.layout.layersDir);
      this.#metaCache.set(chainId, meta);
      return { diffId: staged.diffId, size: staged.size };
    } catch (error) {
      await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
      if (link) await unlink(join(this.layout.linksDir, link)).catch(() => undefined);
      throw error;
    }
  }

  /** Creates `l/<link>` before the layer is renamed into place: a crash in between leaves a
   * dangling link, which start-up removes; the reverse order could leave a layer without one. */
  async #createLink(hex: string): Promise<string> {
    for (;;) {
      const name = newLinkName();
      try {
        await symlink(OverlayLayout.linkTarget(hex), join(this.layout.linksDir, name));
        return name;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
  }

  /** `l/<link>` of the layer and each ancestor, topmost first. */
  async #lowerLinks(chainId: string): Promise<string[]> {
    const links: string[] = [];
    const seen = new Set<string>();
    for (let current: string | null = chainId; current !== null; ) {
      if (seen.has(current)) throw invalid(`layer chain of ${chainId} has a cycle`);
      seen.add(current);
      const meta: LayerMeta = await this.#requireMeta(current);
      links.push(`l/${meta.link}`);
      current = meta.parent;
    }
    return links;
  }

  async #meta(chainId: string): Promise<LayerMeta | undefined> {
    const cached = this.#metaCache.get(chainId);
    if (cached) return cached;
    const meta = await this.layout.readMeta(chainId);
    if (meta) this.#metaCache.set(chainId, meta);
    return meta;
  }

  async #requireMeta(chainId: string): Promise<LayerMeta> {
    const meta = await this.#meta(chainId);
    if (!meta) throw notFound(`layer ${chainId} not found`);
    return meta;
  }

  /** Start-up: create the layout, drop half-made or half-removed layers and dangling links. */
  async #recover(): Promise<void> {
    const { layout } = this;
    for (const dir of [layout.layersDir, layout.linksDir, layout.containersDir, layout.tmpDir, layout.emptyDir]) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
    }
    for (const name of await readdir(layout.tmpDir)) await rm(join(layout.tmpDir, name), { recursive: true, force: true });
    for (const name of await readdir(layout.linksDir)) {
      const path = join(layout.linksDir, name);
      const target = await readlink(path).catch(() => undefined);
      const alive = target !== undefined && (await stat(path).catch(() => undefined)) !== undefined;
      if (!alive && (await lstat(path).catch(() => undefined))) await unlink(path).catch(() => undefined);
    }
  }
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(() => true, () => false);
}

/** syncfs(2) via coreutils `sync -f`: one call flushes every file of the layer (Node has no syncfs). */
function syncFilesystem(path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('sync', ['-f', path], (error) => (error ? reject(error) : resolve()));
  });
}

async function fsyncDir(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
