// `POST /build` with the classic builder: unpack the context, read the Dockerfile and
// .dockerignore, run the steps, tag the result; `POST /build/prune` drops the step cache.
import type { Readable } from 'node:stream';
import { invalid } from '../../core/errors.ts';
import { parseReference } from '../../core/reference.ts';
import type { ContainerFiles } from '../containers/container-files.ts';
import type { ContainerContext } from '../containers/context.ts';
import type { PullRequest } from '../engine-services.ts';
import type { ImageService } from '../images/image-service.ts';
import type { BuildCache } from './build-cache.ts';
import type { BuildPlatform } from './build-platform.ts';
import type { BuildRun } from './build-run.ts';
import { runDockerfile } from './dispatch.ts';
import { IgnoreMatcher } from './dockerignore.ts';
import { parseDockerfile } from './dockerfile-parse.ts';
import { applyMeta } from './meta-steps.ts';
import { commitStep, shortId } from './step-commit.ts';

export interface BuildRequest {
  context: Readable;
  dockerfile: string;
  tags: string[];
  buildArgs: Record<string, string | null>;
  labels: Record<string, string>;
  target?: string;
  noCache: boolean;
  pull: boolean;
  rm: boolean;
  forceRm: boolean;
  platform?: string;
  auth?: PullRequest['auth'];
  signal?: AbortSignal;
}

/** What a prune filter sees of one cache entry (a step image). */
export interface CacheEntryFacts {
  id: string;
  labels: Record<string, string>;
  createdMs: number;
}

export interface BuildOutput {
  stream(text: string): void;
  /** Any other JSON message (aux, pull progress). */
  message(value: object): void;
}

export interface BuildServiceDeps {
  images: ImageService;
  containers: ContainerContext;
  files: ContainerFiles;
  platform: BuildPlatform;
  cache: BuildCache;
  pull(request: PullRequest): Promise<void>;
}

export class BuildService {
  readonly #deps: BuildServiceDeps;

  constructor(deps: BuildServiceDeps) {
    this.#deps = deps;
  }

  /** Checks what can fail before any output (the CLI then shows a plain error). */
  validate(request: BuildRequest): void {
    for (const tag of request.tags) {
      try {
        parseReference(tag);
      } catch {
        throw invalid(`invalid reference format: ${tag}`);
      }
    }
  }

  /** Step images store content before they are recorded: prune leaves it alone meanwhile. */
  build(request: BuildRequest, out: BuildOutput): Promise<string> {
    return this.#deps.images.holdContent(() => this.#build(request, out));
  }

  async #build(request: BuildRequest, out: BuildOutput): Promise<string> {
    const deps = this.#deps;
    const refs = request.tags.map((t) => parseReference(t));
    await deps.cache.load();
    const context = await deps.platform.unpackContext(request.context);
    try {
      const dockerfileName = request.dockerfile || 'Dockerfile';
      const text = await deps.platform.readContextFile(context.dir, dockerfileName);
      if (text === undefined) throw invalid(`Cannot locate specified Dockerfile: ${dockerfileName}`);
      const ignoreText = await deps.platform.readContextFile(context.dir, '.dockerignore');
      const parsed = parseDockerfile(text.toString('utf8'));
      const buildArgs = new Map<string, string>();
      for (const [k, v] of Object.entries(request.buildArgs)) if (v !== null) buildArgs.set(k, v);
      const run: BuildRun = {
        images: deps.images,
        platform: deps.platform,
        cache: deps.cache,
        noCache: request.noCache,
        stream: (t) => out.stream(t),
        containers: deps.containers,
        files: deps.files,
        pull: deps.pull,
        escape: parsed.escape,
        buildArgs,
        metaArgs: new Map(),
        usedArgs: new Set(),
        contextDir: context.dir,
        ignore: new IgnoreMatcher(ignoreText?.toString('utf8') ?? ''),
        stages: [],
        rm: request.rm,
        forceRm: request.forceRm,
        pullAlways: request.pull,
        targetPlatform: request.platform,
        auth: request.auth,
        signal: request.signal,
        progress: (m) => out.message(m),
      };
      const stage = await runDockerfile(run, parsed.instructions, request.target);
      if (Object.keys(request.labels).length > 0) {
        // `--label` acts as a LABEL appended to the last stage (moby buildLabelOptions).
        const labelText = Object.entries(request.labels).map(([k, v]) => `${JSON.stringify(k)}=${JSON.stringify(v)}`).join(' ');
        const comment = applyMeta(run, stage, { line: 0, keyword: 'LABEL', args: labelText, flags: new Map(), original: `LABEL ${labelText}` });
        stage.image = await commitStep(run, stage.image, stage.runConfig, { createdBy: `/bin/sh -c #(nop)  ${comment}` });
      }
      const unused = [...buildArgs.keys()].filter((k) => !run.usedArgs.has(k) && !run.metaArgs.has(k));
      if (unused.length > 0) out.stream(`[Warning] One or more build-args [${unused.join(' ')}] were not consumed\n`);
      const id = stage.image.id;
      if (id === '') throw invalid('No image was generated. Is your Dockerfile empty?');
      out.message({ aux: { ID: id } });
      out.stream(`Successfully built ${shortId(id)}\n`);
      const record = deps.images.store.get(id)!;
      for (const ref of refs) {
        await deps.images.tagRecord(record, ref.toString());
        deps.images.events.publish('image', 'tag', id, { name: ref.familiarName() });
        out.stream(`Successfully tagged ${ref.familiarName()}\n`);
      }
      return id;
    } finally {
      await context.dispose();
    }
  }

  /** `docker builder prune`: forgets the cached steps `select` picks (every one by default), so
   * the next build runs them again. Nothing is deleted: the step images stay (an image or
   * container may use them; untagged ones go with `docker image prune`, which reports them), so
   * the answer lists no cache objects and no space, as dockerd's does for its classic builder. */
  async prune(select: (entry: CacheEntryFacts) => boolean = () => true): Promise<{ CachesDeleted: null; SpaceReclaimed: number }> {
    const { cache, images } = this.#deps;
    await cache.load();
    const chosen = new Set<string>();
    const stale = new Set<string>();
    for (const id of cache.imageIds()) {
      const record = images.store.get(id);
      const config = record ? await images.config(id).catch(() => undefined) : undefined;
      const facts = { id, labels: config?.config?.Labels ?? {}, createdMs: Date.parse(config?.created ?? record?.storedAt ?? '') || 0 };
      // Entries whose image is gone (an image prune took it) are misses already: dropped quietly.
      if (!record) stale.add(id);
      else if (select(facts)) chosen.add(id);
    }
    await cache.prune((id) => !chosen.has(id) && !stale.has(id));
    return { CachesDeleted: null, SpaceReclaimed: 0 };
  }
}
