// Routes that stream a container's stdio: attach (hijacked), logs, and exec.
import type { AttachSession } from '../../../core/interfaces.ts';
import { invalid } from '../../../core/errors.ts';
import type { EngineServices } from '../../../services/engine-services.ts';
import { attachContainer } from '../../../services/containers/attach-container.ts';
import { BatchedWriter } from '../../batched-writer.ts';
import { containerLogs } from '../../../services/containers/container-logs.ts';
import type { HijackedStream, HttpContext } from '../../http-context.ts';
import type { RouteTable } from '../../server.ts';
import { boolParam } from '../../query.ts';
import { frame, STREAM_STDERR, STREAM_STDOUT, STREAM_SYSTEMERR, streamContentType } from '../../stdio-framing.ts';
import { formatTimestampNs as formatTimestamp, parseTimeParam } from '../../../core/timestamps.ts';

/** Wires a runtime session to a hijacked client connection, both ways. */
export function pipeSession(
  session: AttachSession,
  stream: HijackedStream,
  options: { tty: boolean; stdin: boolean; stdinOnce: boolean; stdout: boolean; stderr: boolean; onClosed?: () => Promise<void> | void },
): void {
  session.onOutput((which, data) => {
    if (which === 'stdout' ? !options.stdout : !options.stderr) return;
    stream.output.write(options.tty ? data : frame(which === 'stdout' ? STREAM_STDOUT : STREAM_STDERR, data));
  });
  // These run from event emitters, outside any request's try/catch: a throw here would be an
  // uncaught exception, so each one ends in the stream instead.
  session.onClose(() => {
    void (async () => {
      try {
        await options.onClosed?.();
      } finally {
        stream.end();
      }
    })().catch(() => undefined);
  });
  const input = stream.input;
  if (options.stdin && input) {
    input.on('data', (chunk: Buffer) => {
      try {
        session.write(chunk);
      } catch {
        stream.end();
      }
    });
    // A client that half-closes (stdin EOF) ends the container's stdin only with StdinOnce, as
    // `docker run -i` sets; otherwise the next attach can go on typing.
    const onEnd = () => {
      try {
        if (options.stdinOnce) session.closeStdin();
      } catch {
        stream.end();
      }
    };
    // A bare EOF that came before this wiring (`run -i` with empty stdin half-closes before it
    // sends start) has already been emitted: Node ends an upgraded socket with an empty buffer
    // at once, so 'end' would never come again and the container would wait for stdin forever.
    if (input.readableEnded) onEnd();
    else input.on('end', onEnd);
    input.resume();
  } else {
    input?.resume();
  }
  stream.onClose(() => session.detach());
}

/** Ends a hijacked stream with an error the client prints (`message`: ctx.publicMessage). */
export async function writeSystemError(stream: HijackedStream, tty: boolean, text: string): Promise<void> {
  const message = Buffer.from(`${text}\n`);
  stream.output.write(tty ? message : frame(STREAM_SYSTEMERR, message));
  stream.end();
}

export function containerStdioRoutes(s: EngineServices): RouteTable[] {
  const attach = async (ctx: HttpContext) => {
    const plan = attachContainer(s.containers, ctx.params.id ?? '', boolParam(ctx.query, 'stdin'));
    const stream = await ctx.hijack(streamContentType(plan.tty, ctx.version));
    let session: AttachSession;
    try {
      session = await plan.session;
    } catch (error) {
      await writeSystemError(stream, plan.tty, ctx.publicMessage(error));
      return;
    }
    pipeSession(session, stream, { ...plan, stdout: boolParam(ctx.query, 'stdout'), stderr: boolParam(ctx.query, 'stderr') });
  };

  const logs = async (ctx: HttpContext) => {
    const tailText = ctx.query.get('tail') ?? 'all';
    const tail = tailText === 'all' || tailText === '' || Number(tailText) < 0 ? undefined : Number(tailText);
    if (tail !== undefined && !Number.isInteger(tail)) throw invalid(`invalid value for tail: ${tailText}`);
    const plan = containerLogs(s.containers, ctx.params.id ?? '', {
      stdout: boolParam(ctx.query, 'stdout'),
      stderr: boolParam(ctx.query, 'stderr'),
      follow: boolParam(ctx.query, 'follow'),
      sinceNs: parseTimeParam(ctx.query.get('since'), 'since'),
      untilNs: parseTimeParam(ctx.query.get('until'), 'until'),
      tail,
      details: boolParam(ctx.query, 'details'),
    });
    const timestamps = boolParam(ctx.query, 'timestamps');
    const { out } = ctx.startStream(plan.tty ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream');
    let gone = false;
    ctx.onClientGone(() => {
      gone = true;
      plan.cancel();
    });
    const writer = new BatchedWriter(out);
    try {
      for await (const entry of plan.entries) {
        if (gone) break;
        const payload = timestamps ? Buffer.concat([Buffer.from(`${formatTimestamp(entry.timeNs)} `), entry.data]) : entry.data;
        await writer.write(plan.tty ? payload : frame(entry.stream === 'stdout' ? STREAM_STDOUT : STREAM_STDERR, payload));
      }
      if (!gone) await writer.flush();
    } finally {
      plan.cancel();
      out.end();
    }
  };

  return [
    { method: 'POST', path: '/containers/:id/attach', handler: attach },
    { method: 'GET', path: '/containers/:id/logs', handler: logs },
  ];
}
