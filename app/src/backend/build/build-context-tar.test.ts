// The context the Build view sends: the folder as a tar without what .dockerignore excludes,
// exceptions (`!`) inside an excluded folder included, the Dockerfile and .dockerignore always
// sent (the engine needs them), owners zeroed.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extract } from 'tar-stream';
import { afterAll, describe, expect, it } from 'vitest';
import { packBuildContext } from './build-context-tar.ts';

const root = mkdtempSync(join(tmpdir(), 'berth-context-tar-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function entries(folder: string, dockerfile: string): Promise<Array<{ name: string; uid: number }>> {
  const found: Array<{ name: string; uid: number }> = [];
  const x = extract();
  x.on('entry', (header, stream, next) => {
    if (header.type === 'file') found.push({ name: header.name, uid: header.uid ?? -1 });
    stream.on('end', next);
    stream.resume();
  });
  const done = new Promise<void>((resolve, reject) => {
    x.on('finish', resolve);
    x.on('error', reject);
  });
  packBuildContext(folder, dockerfile).pipe(x);
  await done;
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

describe('packBuildContext', () => {
  it('leaves out what .dockerignore excludes, keeps its exceptions, and always sends the Dockerfile and .dockerignore', async () => {
    const files: Record<string, string> = {
      'build/Dockerfile': 'FROM scratch\n',
      '.dockerignore': '*.log\nnode_modules\ndocs\n!docs/keep.md\nbuild\n.dockerignore\n',
      'app.js': 'x',
      'debug.log': 'x',
      'node_modules/dep/index.js': 'x',
      'docs/keep.md': 'x',
      'docs/drop.md': 'x',
      'src/deep/file.txt': 'x',
    };
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(join(root, name, '..'), { recursive: true });
      writeFileSync(join(root, name), content);
    }
    const packed = await entries(root, 'build/Dockerfile');
    expect(packed.map((e) => e.name)).toEqual(['.dockerignore', 'app.js', 'build/Dockerfile', 'docs/keep.md', 'src/deep/file.txt']);
    expect(new Set(packed.map((e) => e.uid))).toEqual(new Set([0]));
  });
});
