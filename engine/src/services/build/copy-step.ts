// COPY and ADD (moby builder/dockerfile copy.go): sources from the context (minus
// .dockerignore) or from an earlier stage / another image (`--from`), globs, directories copied
// by content, `--chown`, local archives unpacked by ADD. The step's cache key carries a checksum
// of the sources, so a changed file misses the cache and an unchanged one hits it.
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { invalid } from '../../core/errors.ts';
import { expansionEnv, type BuildRun, type Stage } from './build-run.ts';
import type { CopyItem, SourceEntry } from './build-platform.ts';
import { cleanPath, patternRegex } from './dockerignore.ts';
import { parseError, type ParsedInstruction } from './dockerfile-parse.ts';
import { expandWord, expandWords } from './expand.ts';
import { shortId, type StepImage } from './step-commit.ts';

export interface CopyPlan {
  createdBy: string;
  checksum: string;
  work: () => Promise<{ tar: Buffer; diffId: string }>;
}

interface Match {
  entry: SourceEntry;
  /** Path below the destination ('' = the destination itself, for a file source). */
  name: string;
  archive: boolean;
}

const GLOB = /[*?[]/;

/** Plans the step: sources resolved and checksummed now (the cache key needs them); the copy
 * itself runs in `work` only on a cache miss. `from` is the mounted source of --from. */
export async function planCopy(run: BuildRun, stage: Stage, ins: ParsedInstruction, source: { root: string; image?: StepImage; ignore: boolean }): Promise<CopyPlan> {
  const isAdd = ins.keyword === 'ADD';
  const env = expansionEnv(stage);
  const words = ins.json ? ins.json.map((w) => expandWord(w, env, run.escape)) : expandWords(ins.args, env, run.escape);
  if (words.length < 2) throw parseError(ins.line, `${ins.keyword} requires at least two arguments`);
  const rawDest = words.pop()!;
  const base = stage.runConfig.WorkingDir || '/';
  const destIsDirByName = rawDest.endsWith('/') || rawDest === '.' || rawDest.endsWith('/.');
  const dest = posix.resolve(base, rawDest);
  const chown = ins.flags.has('chown') ? expandWord(ins.flags.get('chown')!, env, run.escape) : undefined;

  const tops: Array<{ entry: SourceEntry; visible: SourceEntry[] }> = [];
  for (const src of words) {
    if (/^https?:\/\//.test(src)) throw invalid(`${ins.keyword} failed: remote URLs are not supported by this builder yet: ${src}`);
    const rel = cleanPath(src);
    const globbed = GLOB.test(rel);
    const under = globbed ? rel.slice(0, rel.search(GLOB)).replace(/[^/]*$/, '').replace(/\/$/, '') : rel;
    const { base: canonical, entries } = await run.platform.listTree(source.root, under);
    const visible = source.ignore ? entries.filter((e) => !run.ignore.ignores(e.rel)) : entries;
    if (globbed) {
      const rest = rel.slice(under.length).replace(/^\//, '');
      const regex = patternRegex(canonical === '' ? rest : `${canonical}/${rest}`);
      const found = visible.filter((e) => regex.test(e.rel));
      if (found.length === 0) throw invalid(`${ins.keyword} failed: no source files were specified`);
      for (const entry of found) tops.push({ entry, visible });
    } else if (canonical === '') {
      tops.push({ entry: { rel: '', type: 'dir', mode: 0o755, size: 0, mtimeMs: 0 }, visible });
    } else {
      const entry = visible.find((e) => e.rel === canonical);
      if (!entry) throw invalid(`${ins.keyword} failed: file not found in build context or excluded by .dockerignore: stat ${src}: file does not exist`);
      tops.push({ entry, visible });
    }
  }
  if (tops.length > 1 && !destIsDirByName) {
    throw invalid(`When using ${ins.keyword} with more than one source file, the destination must be a directory and end with a /`);
  }
  const matches: Match[] = [];
  for (const { entry: top, visible } of tops) {
    if (top.type === 'dir') {
      // A directory is copied by content, not as itself (Dockerfile reference, COPY rule 2).
      const prefix = top.rel === '' ? '' : `${top.rel}/`;
      for (const e of visible) if (e.rel.startsWith(prefix) && e.rel !== top.rel) matches.push({ entry: e, name: e.rel.slice(prefix.length), archive: false });
    } else {
      const archive = isAdd && top.type === 'file' && (await run.platform.isArchive(run.platform.sourcePath(source.root, top.rel)));
      matches.push({ entry: top, name: tops.length > 1 || destIsDirByName ? posix.basename(top.rel) : '', archive });
    }
  }
  const hashItems = matches.map((m) => toItem(m, m.name));
  const checksum = await run.platform.checksum(source.root, hashItems);
  const fromNote = ins.flags.has('from') ? `--from=${ins.flags.get('from')} ` : '';
  const chownNote = chown ? `--chown=${chown} ` : '';
  return {
    createdBy: `${ins.keyword} ${chownNote}${fromNote}${matches.length === 1 && matches[0].entry.type === 'file' ? 'file' : 'dir'}:${checksum} in ${dest} `,
    checksum,
    work: () => copyIntoSnapshot(run, stage, { root: source.root, matches, dest, destIsDirByName: destIsDirByName || tops.some((t) => t.entry.type === 'dir'), chown }),
  };
}

function toItem(m: Match, dest: string): CopyItem {
  return { source: m.entry.rel, dest, type: m.entry.type, mode: m.entry.mode, mtimeMs: m.entry.mtimeMs };
}

async function copyIntoSnapshot(
  run: BuildRun,
  stage: Stage,
  plan: { root: string; matches: Match[]; dest: string; destIsDirByName: boolean; chown?: string },
): Promise<{ tar: Buffer; diffId: string }> {
  const snapshotter = run.images.snapshotter;
  const id = `build-${randomBytes(16).toString('hex')}`;
  const topChainId = stage.image.layers.at(-1)?.chainId;
  const rootfs = await snapshotter.mountContainer(id, topChainId);
  try {
    const { uid, gid } = plan.chown ? await run.files.userIds(rootfs, plan.chown) : { uid: 0, gid: 0 };
    const existing = await run.files.stat(rootfs, [], plan.dest);
    // A file source goes *into* an existing directory, else it becomes the destination path.
    const destIsDir = plan.destIsDirByName || plan.matches.some((m) => m.name !== '' || m.archive) || (existing !== undefined && existing.mode >= 0x80000000);
    const destDir = destIsDir ? plan.dest : posix.dirname(plan.dest);
    const dirs: string[] = [];
    const parts = destDir.split('/').filter(Boolean);
    for (let i = 1; i <= parts.length; i++) {
      const path = `/${parts.slice(0, i).join('/')}`;
      if (dirs.length > 0 || !(await run.files.stat(rootfs, [], path))) dirs.push(path.slice(1));
    }
    const relDest = (m: Match) => {
      if (m.name !== '') return posix.join(destDir, m.name).slice(1);
      return (destIsDir ? posix.join(destDir, posix.basename(m.entry.rel)) : plan.dest).slice(1);
    };
    const items = plan.matches.filter((m) => !m.archive).map((m) => toItem(m, relDest(m)));
    const body = run.platform.packCopy({ root: plan.root, items, dirs, uid, gid });
    await run.files.extract(rootfs, [], { path: '/', body, noOverwriteDirNonDir: false, readonlyRootfs: false });
    for (const m of plan.matches.filter((x) => x.archive)) {
      // ADD of a local archive: its entries land in the destination directory, owned as archived.
      const archive = run.platform.openFile(run.platform.sourcePath(plan.root, m.entry.rel));
      await run.files.extract(rootfs, [], { path: destIsDir ? plan.dest : destDir, body: archive, noOverwriteDirNonDir: false, readonlyRootfs: false });
    }
    return await run.platform.snapshotLayer(id, topChainId, rootfs);
  } finally {
    await snapshotter.removeContainer(id).catch(() => undefined);
  }
}

/** The root COPY --from reads: an earlier stage (by name or index) or an image (pulled if
 * missing), mounted read-only-in-effect as a throwaway snapshot. */
export async function mountFromSource(run: BuildRun, from: string, resolveImage: (ref: string) => Promise<StepImage>): Promise<{ root: string; release: () => Promise<void>; image: StepImage }> {
  const stage = run.stages.find((s) => s.name !== undefined && s.name === from.toLowerCase()) ?? (/^\d+$/.test(from) ? run.stages[Number(from)] : undefined);
  const image = stage ? stage.image : await resolveImage(from);
  const id = `build-from-${randomBytes(12).toString('hex')}`;
  const root = await run.images.snapshotter.mountContainer(id, image.layers.at(-1)?.chainId);
  return { root, image, release: () => run.images.snapshotter.removeContainer(id).catch(() => undefined) };
}

export const describeSource = (image: StepImage): string => shortId(image.id);
