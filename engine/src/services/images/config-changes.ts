// `docker commit -c` / `docker import -c`: Dockerfile instructions applied to an image's run
// config. dockerd accepts only the instructions that change config (moby
// builder/dockerfile/builder.go validCommitCommands); the parsing and the meaning of each come
// from the classic builder's own code, so `-c 'CMD …'` reads exactly as a Dockerfile line would.
import { invalid } from '../../core/errors.ts';
import type { ImageConfig, ImageRunConfig } from '../../core/oci-types.ts';
import type { BuildRun, Stage } from '../build/build-run.ts';
import { parseDockerfile } from '../build/dockerfile-parse.ts';
import { applyMeta } from '../build/meta-steps.ts';

const ALLOWED = new Set(['CMD', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'HEALTHCHECK', 'LABEL', 'ONBUILD', 'USER', 'VOLUME', 'WORKDIR', 'STOPSIGNAL']);

/** Applies `changes` (one instruction each) to a copy of `runConfig`. */
export function applyConfigChanges(runConfig: ImageRunConfig, changes: readonly string[], image: ImageConfig): ImageRunConfig {
  const stage: Stage = {
    index: 0,
    image: { id: '', config: image, layers: [] },
    runConfig: structuredClone(runConfig),
    args: new Map(),
    // As in a Dockerfile, ENTRYPOINT resets a CMD that no earlier change set (dockerd runs the
    // changes through its builder: builder/dockerfile BuildFromConfig, dispatchEntrypoint).
    cmdSet: false,
  };
  // Only what metadata instructions read: the escape character and (unused here) ARG state.
  const run = { escape: '\\', buildArgs: new Map(), metaArgs: new Map(), usedArgs: new Set() } as unknown as BuildRun;
  for (const change of changes) {
    if (change.trim() === '') continue;
    const parsed = parseDockerfile(change);
    for (const instruction of parsed.instructions) {
      if (!ALLOWED.has(instruction.keyword)) throw invalid(`${instruction.keyword.toLowerCase()} is not a valid change command`);
      applyMeta(run, stage, instruction);
    }
  }
  return stage.runConfig;
}
