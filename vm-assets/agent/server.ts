// The agent's one TCP listener: reads the preamble (preamble.ts), drops connections without the
// per-boot secret, and serves the request — pipes to the engine socket or to a TCP/UDP address
// inside the guest, or answers status, set-clock and poweroff.
import { createSocket } from 'node:dgram';
import { connect, createServer, isIPv6, type Server, type Socket } from 'node:net';
import { MAX_PREAMBLE, parsePreamble, secretMatches, type Request } from './preamble.ts';
import { encodeFrame, FrameDecoder } from './udp-frames.ts';

export interface AgentActions {
  status(): Promise<Record<string, unknown>>;
  setClock(unixMs: number): Promise<void>;
  powerOff(): void;
}

export interface AgentOptions {
  secret: string;
  enginePath: string;
  actions: AgentActions;
  /** A client that sends no full preamble within this time is dropped (default 10 s). */
  preambleTimeoutMs?: number;
}

function readPreamble(socket: Socket, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    let buffered = Buffer.alloc(0);
    const done = (line: string | undefined) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('error', onEnd);
      resolve(line);
    };
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const newline = buffered.indexOf(0x0a);
      if (newline < 0) {
        if (buffered.length > MAX_PREAMBLE) done(undefined);
        return;
      }
      socket.pause();
      const rest = buffered.subarray(newline + 1);
      if (rest.length) socket.unshift(rest);
      done(newline > MAX_PREAMBLE ? undefined : buffered.subarray(0, newline).toString('latin1'));
    };
    const onEnd = () => done(undefined);
    const timer = setTimeout(() => done(undefined), timeoutMs);
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('error', onEnd);
  });
}

/** Both directions, with half-close carried through (a client that ends stdin still reads). */
function pipeBoth(client: Socket, target: Socket): void {
  client.write('OK\n');
  client.pipe(target);
  target.pipe(client);
  const destroyBoth = () => {
    client.destroy();
    target.destroy();
  };
  client.on('error', destroyBoth);
  target.on('error', destroyBoth);
  client.on('close', () => target.destroy());
  target.on('close', () => client.end());
  client.resume();
}

function dial(client: Socket, target: Socket): void {
  const fail = (error: Error) => {
    client.end(`ERR ${error.message}\n`);
  };
  target.once('error', fail);
  target.once('connect', () => {
    target.off('error', fail);
    pipeBoth(client, target);
  });
}

function relayUdp(client: Socket, host: string, port: number): void {
  const udp = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
  const decoder = new FrameDecoder();
  const close = () => {
    client.destroy();
    try {
      udp.close();
    } catch {
      // already closed
    }
  };
  udp.on('error', (error) => {
    client.end(`ERR ${error.message}\n`);
    close();
  });
  udp.connect(port, host, () => {
    client.write('OK\n');
    client.on('data', (chunk: Buffer) => {
      for (const datagram of decoder.push(chunk)) udp.send(datagram);
    });
    udp.on('message', (message) => client.write(encodeFrame(message)));
    client.on('close', close);
    client.on('error', close);
    client.on('end', close);
    client.resume();
  });
}

async function serve(client: Socket, request: Request, options: AgentOptions): Promise<void> {
  switch (request.kind) {
    case 'engine':
      return dial(client, connect({ path: options.enginePath, allowHalfOpen: true }));
    case 'tcp':
      return dial(client, connect({ host: request.host, port: request.port, allowHalfOpen: true }));
    case 'udp':
      return relayUdp(client, request.host, request.port);
    case 'status':
      client.end(`${JSON.stringify(await options.actions.status())}\n`);
      return;
    case 'set-clock':
      await options.actions.setClock(request.unixMs);
      client.end(`${JSON.stringify({ ok: true, now: Date.now() })}\n`);
      return;
    case 'poweroff':
      client.end('OK\n', () => options.actions.powerOff());
      return;
  }
}

export function createAgentServer(options: AgentOptions): Server {
  return createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
    client.on('error', () => client.destroy());
    void readPreamble(client, options.preambleTimeoutMs ?? 10_000).then(async (line) => {
      const parsed = line === undefined ? undefined : parsePreamble(line);
      // No answer without the secret: a stranger learns nothing, not even the protocol.
      if (!parsed || (!parsed.ok && parsed.reason === 'protocol') || !secretMatches(options.secret, parsed.secret)) {
        client.destroy();
        return;
      }
      if (!parsed.ok) {
        client.end(`ERR ${parsed.message}\n`);
        return;
      }
      try {
        await serve(client, parsed.request, options);
      } catch (error) {
        client.end(`ERR ${error instanceof Error ? error.message : String(error)}\n`);
      }
    });
  });
}
