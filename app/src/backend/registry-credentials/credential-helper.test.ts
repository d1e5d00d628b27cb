// Credential helpers that misbehave, as real programs on PATH (shell scripts the test writes):
// one that never answers and leaves a child holding its output open, and ones that fail or print
// garbage after (or instead of) the secret, and one that takes its time while the CLI edits config.json.
// The backend must neither hang, nor quote the secret, nor overwrite the CLI's edit.
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../../../engine/test/support/engine-fixture.ts';
import { CredentialHelper } from './credential-helper.ts';
import { RegistryCredentials } from './registry-credentials.ts';

let dir: string;
const SECRET = 'hunter2-s3cr3t-value';

function helper(name: string, script: string): void {
  const file = join(dir, `docker-credential-${name}`);
  writeFileSync(file, `#!/bin/sh\n${script}\n`);
  chmodSync(file, 0o755);
}

const env = () => ({ ...process.env, PATH: `${dir}:${process.env.PATH}` });

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-cred-helper-'));
  // Starts a child that keeps stdout open, records its pid, and waits for it: never answers.
  helper('hangs', `sleep 600 &\necho $! > ${dir}/child.pid\nwait`);
  helper('fails-after-secret', `cat >/dev/null\necho '{"ServerURL":"r.example","Username":"ann","Secret":"${SECRET}"}'\nexit 1`);
  helper('garbage', `cat >/dev/null\necho 'Username=ann Secret=${SECRET}'`);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a credential helper that misbehaves', () => {
  it('one that never answers fails with a timeout, and what it started is ended', async () => {
    const slow = new CredentialHelper('hangs', env(), { timeoutMs: 500 });
    await expect(slow.get('r.example')).rejects.toThrow(/docker-credential-hangs get failed: no answer within/);
    const pid = Number(readFileSync(join(dir, 'child.pid'), 'utf8'));
    await until(async () => !alive(pid));
  });

  it('never quotes what `get` printed: the secret stays out of the error', async () => {
    const failing = await new CredentialHelper('fails-after-secret', env()).get('r.example').then(() => undefined, (e: Error) => e);
    expect(failing?.message).toMatch(/docker-credential-fails-after-secret get failed/);
    expect(failing?.message).not.toContain(SECRET);
    const garbage = await new CredentialHelper('garbage', env()).get('r.example').then(() => undefined, (e: Error) => e);
    expect(garbage?.message).toMatch(/not JSON/);
    expect(garbage?.message).not.toContain(SECRET);
  });
});

describe('config.json while a helper runs', () => {
  it('a sign-in through a slow helper keeps what the CLI wrote to config.json meanwhile', async () => {
    const configDir = mkdtempSync(join(dir, 'config-'));
    const config = join(configDir, 'config.json');
    writeFileSync(config, JSON.stringify({ credsStore: 'edits', auths: {} }), { mode: 0o600 });
    // While it "waits for a passphrase", the user switches context with the CLI.
    helper('edits', `cat >/dev/null\nprintf '{"credsStore":"edits","auths":{},"currentContext":"remote"}' > ${config}`);
    const store = await new RegistryCredentials({ ...env(), DOCKER_CONFIG: configDir }).store('r.example', { username: 'ann', password: SECRET });
    expect(store).toBe('docker-credential-edits');
    const after = JSON.parse(readFileSync(config, 'utf8')) as Record<string, unknown>;
    expect(after.currentContext).toBe('remote');
    expect(after.auths).toEqual({ 'r.example': {} });
    expect(statSync(config).mode & 0o777).toBe(0o600);
  });
});
