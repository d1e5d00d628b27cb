// `build` stream: the Build view's folder packed as the context and sent to POST /build (Docker
// API "Build an image") with a fresh `buildid`; the output relayed as batched lines, step
// announcements with the Dockerfile line of each step, and the outcome. Closing the stream
// cancels the build both ways the engine understands: POST /build/cancel?id= and hanging up.
// Every build ends in the recent-builds list with its outcome and duration.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { BuildItem, BuildOutcome, BuildSpec } from '../../common/desktop-api.ts';
import { optionalString, requireBoolean, requireObject, stringArray } from '../argument-checks.ts';
import type { BackendContext } from '../backend-context.ts';
import { badRequest } from '../backend-error.ts';
import type { StreamSession, StreamSink } from '../desktop-backend.ts';
import { engineJson, toEngineError } from '../engine-request.ts';
import { packBuildContext } from './build-context-tar.ts';
import { checkBuildFolder, checkDockerfile, readDockerfile, type DockerfileFacts } from './build-folder.ts';
import type { BuildHistory } from './build-history.ts';
import { BuildOutputParser } from './build-output.ts';
import { SinkBatcher } from '../streams/sink-batcher.ts';


async function checkSpec(context: BackendContext, value: unknown): Promise<BuildSpec> {
  const spec = requireObject(value, 'build spec');
  const folder = await checkBuildFolder(context, spec.folder);
  const buildArgs = requireObject(spec.buildArgs ?? {}, 'build spec.buildArgs');
  for (const [k, v] of Object.entries(buildArgs)) {
    if (typeof v !== 'string' || k === '') throw badRequest(`build arg ${JSON.stringify(k)} must have a name and a text value`);
  }
  const target = optionalString(spec.target, 'build spec.target');
  return {
    folder,
    dockerfile: checkDockerfile(folder, spec.dockerfile),
    tags: stringArray(spec.tags ?? [], 'build spec.tags').map((t) => t.trim()).filter((t) => t !== ''),
    buildArgs: buildArgs as Record<string, string>,
    ...(target ? { target } : {}),
    noCache: requireBoolean(spec.noCache ?? false, 'build spec.noCache'),
  };
}

/** "dockerfile parse error line 3: …" (moby's wording, berthd's too) names the line itself. */
function lineInMessage(message: string): number | undefined {
  const match = /dockerfile parse error (?:on )?line (\d+)/i.exec(message);
  return match ? Number(match[1]) : undefined;
}

export async function openBuildStream(context: BackendContext, history: BuildHistory, args: unknown[], sink: StreamSink<BuildItem>): Promise<StreamSession<never>> {
  const spec = await checkSpec(context, args[0]);
  const facts: DockerfileFacts | undefined = await readDockerfile(spec.folder, spec.dockerfile);
  if (!facts) throw badRequest(`no Dockerfile ${spec.dockerfile} in ${spec.folder}`);
  const docker = context.target.docker;
  const buildId = randomUUID();
  const startedAt = Date.now();
  let currentLine: number | undefined;
  let finished = false;
  let response: IncomingMessage | undefined;
  const batcher = new SinkBatcher<string>(sink, (lines) => sink.next({ kind: 'lines', lines }), () => (response ? [response] : []));

  const record = (outcome: BuildOutcome, extra: { imageId?: string; message?: string }) => {
    history.add({
      buildId, folder: spec.folder, dockerfile: spec.dockerfile, tags: spec.tags, ...(spec.target ? { target: spec.target } : {}),
      outcome, startedAt, durationMs: Date.now() - startedAt, ...extra,
    });
  };
  const fail = (message: string) => {
    if (finished) return;
    batcher.flush();
    const line = lineInMessage(message) ?? currentLine;
    const lineText = line !== undefined ? facts.lines[line - 1] : undefined;
    sink.next({ kind: 'failed', message, durationMs: Date.now() - startedAt, ...(line !== undefined ? { line } : {}), ...(lineText !== undefined ? { lineText } : {}) });
    finished = true;
    batcher.stop();
    record('failed', { message });
    sink.complete();
  };

  let imageId: string | undefined;
  let failedWith: string | undefined;
  const parser = new BuildOutputParser({
    line: (text) => {
      batcher.push(text);
    },
    step: (step, total, instruction) => {
      batcher.flush();
      currentLine = facts.instructionLines[step - 1];
      sink.next({ kind: 'step', step, total, instruction, ...(currentLine !== undefined ? { line: currentLine } : {}) });
    },
    imageId: (id) => (imageId = id),
    error: (message) => (failedWith ??= message),
  });

  sink.next({ kind: 'started', buildId });
  try {
    response = (await docker.buildImage(packBuildContext(spec.folder, spec.dockerfile), {
      buildid: buildId,
      dockerfile: spec.dockerfile,
      t: spec.tags,
      buildargs: spec.buildArgs,
      ...(spec.target ? { target: spec.target } : {}),
      nocache: spec.noCache,
      // A failed step's container is kept by default for `docker commit` forensics; the Build view
      // offers no way to it, so it would only clutter the Containers view.
      rm: true,
      forcerm: true,
      // docker-modem repeats an array (t=a&t=b, as the API wants several tags) and JSON-encodes objects.
    } as unknown as Parameters<typeof docker.buildImage>[1])) as unknown as IncomingMessage;
    // Closed while the request was being made: the cancel went out already; hang up too.
    if (finished) {
      response.destroy();
      return { close: () => undefined };
    }
  } catch (error) {
    // Refused before any output (a Dockerfile that does not parse, a bad tag): the engine's words.
    fail(toEngineError(error, docker).message);
    return { close: () => undefined };
  }

  const end = () => {
    if (finished) return;
    parser.end();
    if (failedWith !== undefined) return fail(failedWith);
    if (imageId === undefined) return fail('the engine closed the connection before the build finished');
    batcher.flush();
    sink.next({ kind: 'done', imageId, tags: spec.tags, durationMs: Date.now() - startedAt });
    finished = true;
    batcher.stop();
    record('succeeded', { imageId });
    sink.complete();
  };
  response.on('data', (chunk: Buffer) => parser.push(chunk));
  response.once('end', end);
  response.once('close', end);
  response.once('error', (error) => fail(error.message));

  return {
    close() {
      if (finished) return;
      finished = true;
      batcher.stop();
      record('cancelled', {});
      // By id first (the engine kills the RUN at once), then hang up (what an engine without
      // /build/cancel, like dockerd's classic builder, takes as the cancel).
      void engineJson(docker, { method: 'POST', path: '/build/cancel', query: { id: buildId } })
        .catch(() => undefined)
        .finally(() => response?.destroy());
    },
  };
}
