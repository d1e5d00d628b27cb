// `pull` and `push` streams: POST /images/create?fromImage=&tag= and POST /images/{name}/push
// (Docker API "Create an image", "Push an image"). The engine answers 200 at once and then sends
// newline-delimited JSON progress; each message is passed through as it is. A message with
// errorDetail is how the engine reports a failure after the 200 (compat notes, Errors), so it
// ends the stream with that message.
import type { IncomingMessage } from 'node:http';
import type { ProgressMessage } from '../../common/docker-types.ts';
import type { BackendContext } from '../backend-context.ts';
import { BackendError } from '../backend-error.ts';
import type { StreamSession, StreamSink } from '../desktop-backend.ts';
import { engineStream } from '../engine-request.ts';
import { splitReference } from '../image-reference.ts';
import { NdjsonSplitter } from '../ndjson-splitter.ts';

/** The API requires X-Registry-Auth on push; "{}" means anonymous (the engine's own config applies). */
const ANONYMOUS_AUTH = Buffer.from('{}').toString('base64');

function relay(response: IncomingMessage, sink: StreamSink<ProgressMessage>): StreamSession<never> {
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
      finish(new BackendError(500, message.errorDetail?.message ?? message.error ?? 'the engine reported an error'));
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
  const response = await engineStream(context.target.docker, {
    method: 'POST', path: '/images/create', query: { fromImage: repository, tag },
    headers: { 'X-Registry-Auth': ANONYMOUS_AUTH },
  });
  return relay(response, sink);
}

export async function openPushStream(context: BackendContext, args: unknown[], sink: StreamSink<ProgressMessage>): Promise<StreamSession<never>> {
  const { repository, tag } = splitReference(args[0]);
  if (tag.includes(':')) throw new BackendError(400, 'push needs a tag, not a digest');
  const response = await engineStream(context.target.docker, {
    method: 'POST', path: `/images/${encodeURI(repository)}/push`, query: { tag },
    headers: { 'X-Registry-Auth': ANONYMOUS_AUTH },
  });
  return relay(response, sink);
}
