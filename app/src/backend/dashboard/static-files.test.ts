import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { resolveStaticPath } from './static-files.ts';

const root = mkdtempSync(join(tmpdir(), 'berth-static-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('static file paths', () => {
  test('/ is index.html and asset paths stay under the root', () => {
    expect(resolveStaticPath(root, '/')).toEqual({ file: join(root, 'index.html') });
    expect(resolveStaticPath(root, '/assets/index-abc.js')).toEqual({ file: join(root, 'assets', 'index-abc.js') });
  });

  test('paths that climb out of the root are refused, however they are spelled', () => {
    for (const path of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2f..%2fetc/passwd', '/..', '/%2E%2E%2Fsecret']) {
      expect(resolveStaticPath(root, path), path).toEqual({ problem: 'not-found' });
    }
  });

  test('backslashes, NUL bytes and broken escapes are bad requests', () => {
    for (const path of ['/..%5c..%5cetc%5cpasswd', '/index.html%00.js', '/%E0%A4%A', '/%']) {
      expect(resolveStaticPath(root, path), path).toEqual({ problem: 'bad-request' });
    }
  });
});
