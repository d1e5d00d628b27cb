// A pass-through proxy between `berth dashboard` and an engine's Unix socket that notes when each
// pull progress message leaves the engine (epoch ms, sub-ms), so "engine message → progress bar
// update" can be measured end to end. Everything else — the event stream, exec/attach upgrades —
// is forwarded untouched. The extra hop costs well under a millisecond on loopback.
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { rmSync } from 'node:fs';

export interface TappedProgress {
  epoch: number;
  id?: string;
  status?: string;
  current?: number;
  total?: number;
}

export interface EngineTap {
  socket: string;
  progress: TappedProgress[];
  stop(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

function forwardHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}

const epochNow = () => performance.timeOrigin + performance.now();

export async function startEngineTap(engineSocket: string, tapSocket: string): Promise<EngineTap> {
  const progress: TappedProgress[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const upstream = request({ socketPath: engineSocket, method: req.method, path: req.url, headers: forwardHeaders(req.headers) }, (up) => {
      res.writeHead(up.statusCode ?? 502, forwardHeaders(up.headers));
      // Streams such as POST /containers/{id}/wait answer headers first and the body much later;
      // clients (docker run) wait for those headers before they go on.
      res.flushHeaders();
      const isPull = req.method === 'POST' && /\/images\/create\b/.test(req.url ?? '');
      let partial = '';
      up.on('data', (chunk: Buffer) => {
        if (isPull) {
          const epoch = epochNow();
          const lines = (partial + chunk.toString('utf8')).split('\n');
          partial = lines.pop() ?? '';
          for (const line of lines) {
            if (!line.trim()) continue;
            try {
              const m = JSON.parse(line) as { id?: string; status?: string; progressDetail?: { current?: number; total?: number } };
              progress.push({ epoch, id: m.id, status: m.status, current: m.progressDetail?.current, total: m.progressDetail?.total });
            } catch {
              // Not a progress line: nothing to time.
            }
          }
        }
        res.write(chunk);
      });
      up.on('end', () => res.end());
      up.on('error', () => res.destroy());
    });
    upstream.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `engine tap: ${e.message}` }));
    });
    req.pipe(upstream);
    res.on('close', () => upstream.destroy());
  });
  // Docker's hijacked streams (exec, attach: "Upgrade: tcp") go through as raw bytes.
  server.on('upgrade', (req, client: Socket, head: Buffer) => {
    const up = connect(engineSocket);
    sockets.add(client).add(up);
    const lines = [`${req.method} ${req.url} HTTP/1.1`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    up.write(lines.join('\r\n') + '\r\n\r\n');
    if (head.length) up.write(head);
    up.pipe(client).pipe(up);
    for (const s of [client, up]) {
      s.on('error', () => { client.destroy(); up.destroy(); });
      s.on('close', () => { sockets.delete(s); client.destroy(); up.destroy(); });
    }
  });
  rmSync(tapSocket, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(tapSocket, () => resolve());
  });
  return {
    socket: tapSocket,
    progress,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
        server.close(() => {
          rmSync(tapSocket, { force: true });
          resolve();
        });
      }),
  };
}
