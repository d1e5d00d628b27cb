// Minimal HTTP to berthd's unix socket (the agent ships without dependencies).
import { request } from 'node:http';

export interface EngineReply {
  status: number;
  body: string;
}

export function engineRequest(socketPath: string, method: string, path: string, timeoutMs = 5_000): Promise<EngineReply> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method, path, headers: { Host: 'berth' }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** Stops every running container at once; berthd sends SIGTERM and, after each container's own
 * stop timeout, SIGKILL. Returns the ids it stopped. */
export async function stopAllContainers(socketPath: string): Promise<string[]> {
  const list = await engineRequest(socketPath, 'GET', '/containers/json');
  if (list.status !== 200) throw new Error(`listing containers: HTTP ${list.status} ${list.body}`);
  const ids = (JSON.parse(list.body) as Array<{ Id: string }>).map((c) => c.Id);
  // No client timeout here: a container's stop timeout may be long, and poweroff waits for it.
  await Promise.all(ids.map((id) => engineRequest(socketPath, 'POST', `/containers/${id}/stop`, 24 * 3600_000)));
  return ids;
}
