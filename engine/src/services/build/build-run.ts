// The state of one build: its stages, arguments and options, shared by the instruction handlers.
import { invalid } from '../../core/errors.ts';
import type { ImageRunConfig } from '../../core/oci-types.ts';
import type { ContainerFiles } from '../containers/container-files.ts';
import type { ContainerContext } from '../containers/context.ts';
import type { PullRequest } from '../engine-services.ts';
import type { IgnoreMatcher } from './dockerignore.ts';
import { envMap } from './expand.ts';
import type { StepDeps, StepImage } from './step-commit.ts';

export interface Stage {
  name?: string;
  index: number;
  image: StepImage;
  /** The config the next commit records; instructions change it in place. */
  runConfig: ImageRunConfig;
  /** ARGs declared in this stage, with their effective values. */
  args: Map<string, string>;
  /** Whether this stage set CMD (an ENTRYPOINT then keeps it). */
  cmdSet?: boolean;
}

export interface BuildRun extends StepDeps {
  containers: ContainerContext;
  files: ContainerFiles;
  pull(request: PullRequest): Promise<void>;
  escape: string;
  /** `--build-arg` values (a null value in the query means "take it from the client env", which
   * the CLI already did, so it is absent here). */
  buildArgs: Map<string, string>;
  /** ARGs before the first FROM, with their values. */
  metaArgs: Map<string, string>;
  usedArgs: Set<string>;
  contextDir: string;
  ignore: IgnoreMatcher;
  stages: Stage[];
  rm: boolean;
  forceRm: boolean;
  pullAlways: boolean;
  targetPlatform?: string;
  auth?: PullRequest['auth'];
  /** Aborted when the client goes away or cancels: the build stops at the next step, a RUN is
   * killed and its container removed. */
  signal?: AbortSignal;
  /** Raw progress messages (a pull's) passed through to the client. */
  progress(message: object): void;
}

/** The error a cancelled build ends with, naming who cancelled it (the signal's reason). */
export function cancelledError(run: BuildRun): Error {
  const reason = run.signal?.reason;
  return invalid(`build cancelled: ${typeof reason === 'string' ? reason : 'the client went away'}`);
}

/** Variables for expansion: the stage's ARGs, overridden by its ENV (moby getExpansionEnv). */
export function expansionEnv(stage: Stage): Map<string, string> {
  const env = new Map(stage.args);
  for (const [k, v] of envMap(stage.runConfig.Env)) env.set(k, v);
  return env;
}

/** ARG values a RUN sees as environment, unless ENV already names them. */
export function buildArgEnv(stage: Stage): string[] {
  const env = envMap(stage.runConfig.Env);
  return [...stage.args].filter(([k]) => !env.has(k)).map(([k, v]) => `${k}=${v}`);
}

/** `ARG name[=default]`: the build arg wins, then the default, then a meta ARG's value. */
export function declareArg(run: BuildRun, scope: Map<string, string>, name: string, fallback: string | undefined, metaScope?: Map<string, string>): void {
  let value = fallback;
  if (run.buildArgs.has(name)) {
    value = run.buildArgs.get(name);
    run.usedArgs.add(name);
  } else if (value === undefined && metaScope?.has(name)) {
    value = metaScope.get(name);
  }
  if (value !== undefined) scope.set(name, value);
  else scope.delete(name);
}
