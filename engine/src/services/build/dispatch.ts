// The step loop of the classic builder (moby builder/dockerfile/builder.go dispatchDockerfile):
// meta ARGs, then each stage from its FROM (base pulled if missing, ONBUILD triggers run), then
// its instructions, each printed as "Step n/m : …" and ending with " ---> <image id>".
import { invalid } from '../../core/errors.ts';
import { cancelledError, expansionEnv, declareArg, type BuildRun, type Stage } from './build-run.ts';
import { mountFromSource, planCopy } from './copy-step.ts';
import { parseError, parseTrigger, type ParsedInstruction } from './dockerfile-parse.ts';
import { expandWord, expandWords, splitWords } from './expand.ts';
import { applyMeta, commandOf, shellOf } from './meta-steps.ts';
import { runCreatedBy, runInContainer, withNopContainer } from './run-step.ts';
import { commitStep, scratchImage, shortId, type StepImage } from './step-commit.ts';

/** Instructions grouped as moby groups them: ARGs before the first FROM, then stages. */
export function splitStages(instructions: ParsedInstruction[]): { meta: ParsedInstruction[]; stages: ParsedInstruction[][] } {
  const meta: ParsedInstruction[] = [];
  const stages: ParsedInstruction[][] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') stages.push([ins]);
    else if (stages.length > 0) stages[stages.length - 1].push(ins);
    else if (ins.keyword === 'ARG') meta.push(ins);
    else throw parseError(ins.line, `${ins.keyword} before FROM: only ARG may come first (no build stage in context)`);
  }
  if (stages.length === 0) throw invalid('the Dockerfile (Dockerfile) cannot be empty');
  return { meta, stages };
}

/** The stage name a FROM declares, if any ("FROM img AS name"). */
export function stageName(ins: ParsedInstruction): string | undefined {
  const words = splitWords(ins.args);
  return words.length === 3 && words[1].toLowerCase() === 'as' ? words[2].toLowerCase() : undefined;
}

export async function resolveBaseImage(run: BuildRun, ref: string, platform: string | undefined): Promise<StepImage> {
  let record = run.images.find(ref);
  if (!record || run.pullAlways) {
    await run.pull({ image: ref, platform, auth: run.auth, onProgress: (message) => run.progress(message) });
    record = run.images.find(ref);
  }
  if (!record) throw invalid(`No such image: ${ref}`);
  return { id: record.id, config: await run.images.config(record.id), layers: record.layers };
}

export async function startStage(run: BuildRun, ins: ParsedInstruction, index: number): Promise<Stage> {
  const words = expandWords(ins.args, run.metaArgs, run.escape);
  if (words.length !== 1 && !(words.length === 3 && words[1].toLowerCase() === 'as')) {
    throw parseError(ins.line, 'FROM requires either one or three arguments');
  }
  const ref = words[0];
  const name = words.length === 3 ? words[2].toLowerCase() : undefined;
  const platform = ins.flags.has('platform') ? expandWord(ins.flags.get('platform')!, run.metaArgs, run.escape) || run.targetPlatform : run.targetPlatform;
  let image: StepImage;
  const earlier = run.stages.find((s) => s.name !== undefined && s.name === ref.toLowerCase());
  if (ref.toLowerCase() === 'scratch') image = scratchImage();
  else if (earlier) image = earlier.image;
  else image = await resolveBaseImage(run, ref, platform);
  const stage: Stage = { name, index, image, runConfig: structuredClone(image.config.config ?? {}), args: new Map() };
  if (image.id !== '') run.stream(` ---> ${shortId(image.id)}\n`);
  const triggers = stage.runConfig.OnBuild ?? [];
  if (triggers.length > 0) {
    // dockerd runs the base image's ONBUILD triggers right after FROM, then forgets them.
    run.stream(`# Executing ${triggers.length} build trigger${triggers.length > 1 ? 's' : ''}\n`);
    stage.runConfig.OnBuild = null;
    for (const text of triggers) await dispatch(run, stage, parseTrigger(text, ins.line, run.escape));
  }
  return stage;
}

/** Runs one instruction of a stage (FROM excluded) and moves the stage to its image. */
export async function dispatch(run: BuildRun, stage: Stage, ins: ParsedInstruction): Promise<void> {
  const nop = `${shellOf(stage).join(' ')} #(nop) `;
  let image: StepImage;
  if (ins.keyword === 'RUN') {
    const argv = commandOf(stage, ins);
    if (argv.length === 0 || (ins.json === undefined && ins.args.trim() === '')) throw parseError(ins.line, 'RUN requires at least one argument');
    image = await commitStep(run, stage.image, stage.runConfig, { createdBy: runCreatedBy(stage, argv), work: () => runInContainer(run, stage, argv) });
  } else if (ins.keyword === 'COPY' || ins.keyword === 'ADD') {
    const from = ins.flags.get('from');
    const mounted = from ? await mountFromSource(run, expandWord(from, expansionEnv(stage), run.escape), (ref) => resolveBaseImage(run, ref, run.targetPlatform)) : undefined;
    try {
      const plan = await planCopy(run, stage, ins, { root: mounted?.root ?? run.contextDir, ignore: !mounted });
      image = await commitStep(run, stage.image, stage.runConfig, { createdBy: `${nop}${plan.createdBy}`, checksum: plan.checksum, work: plan.work });
    } finally {
      await mounted?.release();
    }
  } else {
    const comment = applyMeta(run, stage, ins);
    // On a cache miss the commit comes from a `#(nop)` container with the step's config, as in
    // dockerd's classic builder (its "Running in" and "Removing intermediate container" lines).
    image = await commitStep(run, stage.image, stage.runConfig, {
      createdBy: `${nop} ${comment}`,
      around: (commit) => withNopContainer(run, stage, comment, commit),
    });
  }
  stage.image = image;
  stage.runConfig = structuredClone(image.config.config ?? {});
  run.stream(` ---> ${shortId(image.id)}\n`);
}

/** Runs the whole Dockerfile up to `target` (or the last stage); returns the final stage. */
export async function runDockerfile(run: BuildRun, instructions: ParsedInstruction[], target: string | undefined): Promise<Stage> {
  const { meta, stages } = splitStages(instructions);
  let last = stages.length - 1;
  if (target) {
    last = stages.findIndex((s) => stageName(s[0]) === target.toLowerCase());
    if (last < 0) throw invalid(`failed to reach build target ${target} in Dockerfile`);
  }
  const total = meta.length + stages.slice(0, last + 1).reduce((n, s) => n + s.length, 0);
  let step = 0;
  const announce = (ins: ParsedInstruction) => {
    if (run.signal?.aborted) throw cancelledError(run);
    run.stream(`Step ${++step}/${total} : ${ins.original}\n`);
  };
  for (const ins of meta) {
    announce(ins);
    for (const word of splitWords(ins.args, run.escape)) {
      const eq = word.indexOf('=');
      const fallback = eq < 0 ? undefined : expandWord(word.slice(eq + 1), run.metaArgs, run.escape);
      declareArg(run, run.metaArgs, eq < 0 ? word : word.slice(0, eq), fallback);
    }
  }
  let stage: Stage | undefined;
  for (let i = 0; i <= last; i++) {
    const [from, ...rest] = stages[i];
    announce(from);
    stage = await startStage(run, from, i);
    run.stages.push(stage);
    for (const ins of rest) {
      announce(ins);
      await dispatch(run, stage, ins);
    }
  }
  return stage!;
}
