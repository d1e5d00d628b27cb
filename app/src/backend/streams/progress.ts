// `pull` and `push` streams: POST /images/create?fromImage=&tag= and POST /images/{name}/push
// (Docker API "Create an image", "Push an image"). The engine answers 200 at once and then sends
// newline-delimited JSON progress; each message is passed through as it is. A message with
// errorDetail is how the engine reports a failure after the 200 (compat notes, Errors), so it
// ends the stream with that message.
import type { IncomingMessage } from 'node:http';
import type { ProgressMessage } from '../../common/docker-types.ts';
import type { BackendContext } from '../backend-context.ts';
import { BackendError } from '../backend-error.ts';
import { registryAuthFor } from '../calls/registries.ts';
import type { StreamSession, StreamSink } from '../desktop-backend.ts';
import { engineStream } from '../engine-request.ts';
import { splitReference } from '../image-reference.ts';
import { NdjsonSplitter } from '../ndjson-splitter.ts';

const AUTH_REFUSED = /unauthori[sz]ed|authentication required|access denied|access to the resource is denied|may require 'docker login'/i;

/** Says what to do when the registry refused: sign in (no credentials were sent) or sign in again. */
function authHint(auth: { key: string; signedIn: boolean }): (message: string) => string {
  return (message) => {
    if (!AUTH_REFUSED.test(message)) return message;
    return auth.signedIn
      ? `${message}. The credentials stored for ${auth.key} were refused: sign in again (Images → Sign in to a registry, or docker login).`
      : `${message}. No credentials for ${auth.key} are stored where the docker CLI keeps them: sign in first (Images → Sign in to a registry, or docker login ${auth.key}).`;
  };
}

function relay(response: IncomingMessage, sink: StreamSink<ProgressMessage>, explain: (message: string) => string = (m) => m): StreamSession<never> {
  let finished = false;
  const finish = (error?: unknown) => {
    if (finished) return;
    finished = true;
    response.destroy();
    if (error) sink.error(error);
    else sink.complete();
  };
  const splitter = new NdjsonSplitter<ProgressMessage>((message) => {
    if (finished) return;
    if (message.errorDetail || message.error) {
      // Show the message too, so a progress view has the error next to the layers.
      sink.next(message);
      finish(new BackendError(500, explain(message.errorDetail?.message ?? message.error ?? 'the engine reported an error')));
      return;
    }
    if (!sink.next(message)) {
      response.pause();
      sink.onDrain(() => response.resume());
    }
  });
  response.on('data', (chunk: Buffer) => splitter.push(chunk));
  response.once('end', () => {
    splitter.end();
    finish();
  });
  response.once('error', (error) => finish(error));
  response.once('close', () => {
    if (!finished) {
      splitter.end();
      finish(new BackendError(502, 'the engine closed the connection before the operation finished'));
    }
  });
  return { close: () => { finished = true; response.destroy(); } };
}

export async function openPullStream(context: BackendContext, args: unknown[], sink: StreamSink<ProgressMessage>): Promise<StreamSession<never>> {
  const { repository, tag } = splitReference(args[0]);
  // The credentials the docker CLI would send for this registry (registry-credentials/).
  const auth = await registryAuthFor(context, repository);
  const response = await withAuthHint(auth, engineStream(context.target.docker, {
    method: 'POST', path: '/images/create', query: { fromImage: repository, tag },
    headers: { 'X-Registry-Auth': auth.header },
  }));
  return relay(response, sink, authHint(auth));
}

/** A refusal the engine answers with an HTTP status (rather than in the stream) gets the same hint. */
async function withAuthHint<T>(auth: { key: string; signedIn: boolean }, request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof BackendError) throw new BackendError(error.statusCode, authHint(auth)(error.message));
    throw error;
  }
}

export async function openPushStream(context: BackendContext, args: unknown[], sink: StreamSink<ProgressMessage>): Promise<StreamSession<never>> {
  const { repository, tag } = splitReference(args[0]);
  if (tag.includes(':')) throw new BackendError(400, 'push needs a tag, not a digest');
  const auth = await registryAuthFor(context, repository);
  const response = await withAuthHint(auth, engineStream(context.target.docker, {
    method: 'POST', path: `/images/${encodeURI(repository)}/push`, query: { tag },
    headers: { 'X-Registry-Auth': auth.header },
  }));
  return relay(response, sink, authHint(auth));
}
