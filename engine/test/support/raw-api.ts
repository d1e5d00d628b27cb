// One raw Docker API call over an engine's socket: for what the CLI does not show (bodies of
// errors it rewords, headers, API versions it does not speak).
import { request } from 'node:http';

export interface RawReply {
  status: number;
  headers: Record<string, unknown>;
  body: Buffer;
}

export function rawApi(socketPath: string, method: string, path: string, body?: Buffer, contentType = 'application/json'): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const headers = body ? { 'Content-Type': contentType, 'Content-Length': body.length } : {};
    const req = request({ socketPath, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
