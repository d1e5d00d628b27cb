// Streamed JSON progress (pull, push): like dockerd, headers wait for the first progress line,
// so an operation that fails at once (unknown repository, auth) reaches the client as a plain
// HTTP error the CLI can print; a failure after that goes in-band as an errorDetail line.
import type { HttpContext } from './http-context.ts';

export async function streamProgress(
  ctx: HttpContext,
  operation: (onProgress: (message: object) => void, signal: AbortSignal) => Promise<unknown>,
): Promise<void> {
  const abort = new AbortController();
  ctx.onClientGone(() => abort.abort());
  let out: NodeJS.WritableStream | undefined;
  const write = (message: object) => {
    out ??= ctx.startStream('application/json').out;
    out.write(`${JSON.stringify(message)}\n`);
  };
  try {
    await operation(write, abort.signal);
  } catch (error) {
    if (!out) throw error;
    const message = ctx.publicMessage(error);
    out.write(`${JSON.stringify({ errorDetail: { message }, error: message })}\n`);
  }
  out?.end();
}
