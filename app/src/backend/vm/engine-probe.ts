// Questions the forwarder asks berthd in the VM on its own behalf (not a client's): one HTTP/1.0
// request through the agent's engine pipe; HTTP/1.0 so the engine closes after the answer.
import { dialAgentPipe } from './agent-dial.ts';
import type { AgentTarget } from './clock-sync.ts';

export async function engineGetJson(target: AgentTarget, path: string, timeoutMs = 15_000): Promise<unknown> {
  const socket = await dialAgentPipe(target.port, target.secret, timeoutMs);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`the engine did not answer ${path} within ${timeoutMs} ms`)));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      socket.destroy();
      const text = Buffer.concat(chunks).toString();
      const split = text.indexOf('\r\n\r\n');
      const status = /^HTTP\/1\.\d (\d{3})/.exec(text)?.[1];
      if (split < 0 || status !== '200') return reject(new Error(`GET ${path}: ${text.split('\r\n')[0] || 'no answer'}`));
      try {
        resolve(JSON.parse(text.slice(split + 4)));
      } catch (error) {
        reject(error as Error);
      }
    });
    socket.resume();
    socket.write(`GET ${path} HTTP/1.0\r\nHost: berth\r\n\r\n`);
  });
}
