// The engine's resident memory starts with what its start-up import graph loads. Two of Node's
// built-ins are costly and not needed by an engine that serves a Unix socket and pulls over
// http: undici (~12 MiB RSS, pulled in when an ESM `import … from 'node:http'` builds the module
// namespace and so runs http's WebSocket/CloseEvent/MessageEvent getters) and tls/https (~8 MiB,
// needed only for a TLS listener or an https registry, so loaded on first use).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
// Written at exit, after every static import of main.ts has been evaluated (`--help` returns
// before the engine touches anything, and needs no root).
const REPORT = `process.on('exit', () => process.stdout.write(JSON.stringify(process.moduleLoadList)));`;

async function modulesLoadedAtStartup(): Promise<string[]> {
  const { stdout } = await run(process.execPath, [
    '--disable-warning=ExperimentalWarning',
    '--import', `data:text/javascript,${encodeURIComponent(REPORT)}`,
    MAIN, '--help',
  ]);
  const json = stdout.slice(stdout.lastIndexOf('["'));
  return JSON.parse(json) as string[];
}

describe('engine start-up modules', () => {
  it('loads neither undici nor tls/https when it starts', async () => {
    const loaded = await modulesLoadedAtStartup();
    expect(loaded).toContain('NativeModule http');
    expect(loaded.filter((m) => /undici|\btls\b|\bhttps\b/.test(m))).toEqual([]);
  });
});
