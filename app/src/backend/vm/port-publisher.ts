// Publishes the VM's container ports on the host, for as long as the forwarder runs: follows the
// engine's event stream (GET /events, container events) and after every start/die/destroy (and
// each time the stream (re)connects, since events may have been missed meanwhile) re-reads the
// running containers (GET /containers/json) and opens or closes host listeners to match
// (port-specs.ts, port-listeners.ts). The engine is reached through the agent directly, not
// through <home>/run/docker.sock, so a VM that is down is waited for, never woken by us.
import { request, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { dialAgentPipe } from './agent-dial.ts';
import { openListener, type PortListener } from './port-listeners.ts';
import { diffListeners, listenSpecs, problemMessage, type ListedContainer } from './port-specs.ts';
import { clearPortsReport, writePortsReport, type PortProblem } from './ports-report.ts';
import type { ForwarderTarget } from './socket-forwarder.ts';
import type { VmHome } from './vm-home.ts';

/** Container actions after which the set of published ports may differ. */
const RESYNC_ON = new Set(['start', 'restart', 'unpause', 'die', 'stop', 'kill', 'destroy']);
const RETRY_MS = [500, 1_000, 2_000, 5_000];
/** A sync on this clock too: a stream that went silent without closing (the guest rebooted
 * behind QEMU's user-mode stack, which keeps the host side open) cannot keep ports stale long. */
const PERIODIC_SYNC_MS = 30_000;

export interface PortPublisher {
  stop(): Promise<void>;
}

function engineRequest(target: ForwarderTarget, path: string, onResponse: (res: IncomingMessage) => void, onError: (error: Error) => void): () => void {
  const req = request({
    path, method: 'GET', headers: { Host: 'docker' },
    createConnection: (_options, created: (error: Error | null, socket: Duplex) => void) => {
      dialAgentPipe(target.port, target.secret).then((socket) => {
        created(null, socket);
        // dialAgentPipe leaves the socket paused at the end of the agent's OK line.
        socket.resume();
      }, (error: Error) => created(error, undefined as unknown as Duplex));
      return undefined;
    },
  }, onResponse);
  req.on('error', onError);
  req.end();
  return () => req.destroy();
}

function getJson<T>(target: ForwarderTarget, path: string): Promise<T> {
  return new Promise((resolve, reject) => {
    engineRequest(target, path, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        if (res.statusCode !== 200) reject(new Error(`GET ${path}: HTTP ${res.statusCode} ${body.trim()}`));
        else resolve(JSON.parse(body) as T);
      });
    }, reject);
  });
}

export function startPortPublisher(home: VmHome, target: ForwarderTarget, log: (line: string) => void): PortPublisher {
  const listeners = new Map<string, PortListener>();
  let problems: PortProblem[] = [];
  let stopped = false;
  let syncing: Promise<void> | undefined;
  let again = false;
  let cancelEvents: (() => void) | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let failures = 0;
  let lastError: string | undefined;

  const report = () => writePortsReport(home, { updatedAt: Date.now(), forwarderPid: process.pid, forwarded: [...listeners.keys()], problems });

  async function syncOnce(): Promise<void> {
    const containers = await getJson<ListedContainer[]>(target, '/containers/json');
    if (stopped) return;
    const wanted = listenSpecs(containers);
    const diff = diffListeners(wanted, listeners.keys());
    for (const key of diff.close) {
      const listener = listeners.get(key)!;
      listeners.delete(key);
      await listener.close();
      log(`released ${key}`);
    }
    const failed: PortProblem[] = [];
    for (const spec of diff.open) {
      try {
        listeners.set(spec.key, await openListener(spec, target));
        log(`listening on ${spec.key} for ${spec.containers.join(', ')}`);
      } catch (error) {
        const message = problemMessage(spec, error as NodeJS.ErrnoException);
        failed.push({ key: spec.key, message });
        if (!problems.some((p) => p.key === spec.key)) log(message);
      }
    }
    problems = failed;
    report();
  }

  /** One sync at a time; a request during one runs once more after it (the list may have moved). */
  function sync(): void {
    if (stopped) return;
    if (syncing) {
      again = true;
      return;
    }
    syncing = syncOnce().then(() => {
      lastError = undefined;
    }, (error: Error) => {
      // Said once per cause: the periodic sync meets the same failure while the VM is down.
      if (error.message !== lastError) log(`port sync failed: ${error.message}`);
      lastError = error.message;
    }).finally(() => {
      syncing = undefined;
      if (again) {
        again = false;
        sync();
      }
    });
  }

  function retry(): void {
    cancelEvents = undefined;
    if (stopped) return;
    const delay = RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)];
    retryTimer = setTimeout(follow, delay);
  }

  function follow(): void {
    if (stopped) return;
    // The request's error and the response's close may both come: one retry per attempt.
    let over = false;
    const ended = () => {
      if (over) return;
      over = true;
      retry();
    };
    const filters = encodeURIComponent(JSON.stringify({ type: ['container'] }));
    cancelEvents = engineRequest(target, `/events?filters=${filters}`, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        res.on('end', ended);
        return;
      }
      failures = 0;
      // Subscribed: whatever happened while we were not is in the list now.
      sync();
      let buffered = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        let newline: number;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          try {
            const event = JSON.parse(line) as { Action?: string };
            if (event.Action && RESYNC_ON.has(event.Action)) sync();
          } catch {
            // a line that is not JSON carries nothing we act on
          }
        }
      });
      res.on('close', ended);
    }, ended);
  }

  follow();
  const periodic = setInterval(sync, PERIODIC_SYNC_MS);
  return {
    async stop() {
      stopped = true;
      clearInterval(periodic);
      clearTimeout(retryTimer);
      cancelEvents?.();
      await syncing;
      await Promise.all([...listeners.values()].map((listener) => listener.close()));
      listeners.clear();
      clearPortsReport(home);
    },
  };
}
