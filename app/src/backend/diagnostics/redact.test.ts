import { describe, expect, it } from 'vitest';
import { REDACTED, redactFile, redactJson, redactText } from './redact.ts';

const SECRET = '3f1c9a0b7d2e4f6a8b1c3d5e7f9a0b2c4d6e8f0a1b3c5d7e';

describe('diagnostics redaction', () => {
  it('removes the per-boot secret wherever a log line carries it', () => {
    const line = `fw_cfg name=opt/berth/secret; BERTH/1 ${SECRET} engine; cmdline berth.secret=${SECRET} quiet`;
    const out = redactText(line, [SECRET]);
    expect(out).not.toContain(SECRET);
    expect(out).toContain('quiet');
  });

  it('blanks key=value and key: value pairs with secret-like names, and leaves other words', () => {
    expect(redactText('password=hunter2 user=ann', [])).toBe(`password=${REDACTED} user=ann`);
    expect(redactText('X-Registry-Auth: eyJhbGciOi', [])).toBe(`X-Registry-Auth: ${REDACTED}`);
    expect(redactText('api_key="abc123" ok', [])).toBe(`api_key="${REDACTED}" ok`);
    expect(redactText('booting the VM: 1 CPUs', [])).toBe('booting the VM: 1 CPUs');
  });

  it('blanks docker config credentials and keeps the registry names', () => {
    const config = { auths: { 'ghcr.io': { auth: 'dXNlcjpwYXNz', identitytoken: 'tok' } }, credsStore: 'desktop', HttpHeaders: { 'X-Meta-Token': 'abc' } };
    expect(redactJson(config, [])).toEqual({ auths: { 'ghcr.io': { auth: REDACTED, identitytoken: REDACTED } }, credsStore: 'desktop', HttpHeaders: { 'X-Meta-Token': REDACTED } });
  });

  it('treats a file as JSON when it parses and as text when not', () => {
    expect(JSON.parse(redactFile(JSON.stringify({ registrytoken: 'x', theme: 'dark' }), []))).toEqual({ registrytoken: REDACTED, theme: 'dark' });
    expect(redactFile(`not json ${SECRET}`, [SECRET])).toBe(`not json ${REDACTED}`);
  });

  it('blanks what follows an HTTP scheme word, JSON pairs in text, quoted values and URL passwords', () => {
    expect(redactText('Authorization: Basic dXNlcjpwYXNz', [])).toBe(`Authorization: ${REDACTED}`);
    expect(redactText('authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc next', [])).toBe(`authorization: ${REDACTED} next`);
    // A config.json that does not parse is redacted as text: its auths must not survive.
    const broken = '{"auths": {"ghcr.io": {"auth": "dXNlcjpwYXNz", "identitytoken":"tok.en"},}}';
    const out = redactFile(broken, []);
    expect(out).not.toMatch(/dXNlcjpwYXNz|tok\.en/);
    expect(out).toContain('ghcr.io');
    expect(redactText('Secret="a b c" left', [])).toBe(`Secret="${REDACTED}" left`);
    expect(redactText('pulling https://ann:hunter2@registry.example/v2/', [])).toBe(`pulling https://ann:${REDACTED}@registry.example/v2/`);
    const config = { HttpHeaders: { Authorization: 'Basic dXNlcjpwYXNz' }, proxies: { default: { httpProxy: 'http://ann:hunter2@proxy:3128' } } };
    expect(JSON.stringify(redactJson(config, []))).not.toMatch(/dXNlcjpwYXNz|hunter2/);
  });

  it('blanks PEM private keys under any key name, in JSON and in text', () => {
    const pem = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkZ2sEcRetBody\n-----END EC PRIVATE KEY-----\n';
    const settings = { engines: [{ url: 'tcp://h:2376', tls: { cert: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', key: pem } }] };
    const out = redactFile(JSON.stringify(settings), []);
    expect(out).not.toContain('MHcCAQEEIBkZ2sEcRetBody');
    expect(out).toContain('MIIB');
    expect(redactText(`loaded ${pem} ok`, [])).not.toContain('MHcCAQEEIBkZ2sEcRetBody');
    expect(redactText('-----BEGIN PRIVATE KEY-----\\nABCsecretPKCS8\\n-----END PRIVATE KEY-----', [])).not.toContain('ABCsecretPKCS8');
  });
});
