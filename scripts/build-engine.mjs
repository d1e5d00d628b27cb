// Turns engine/src's TypeScript into plain JavaScript under engine/.dist with Node's own type
// stripper (the same one `node file.ts` uses), so berthd starts without loading the stripper:
// that saves about 17 MB of resident memory and some start-up time. Runs on the pinned Node.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const sourceRoot = join(root, 'engine', 'src');
// Inside engine/ so bare imports resolve through engine/node_modules first, exactly as they do
// for the sources (the root node_modules may hold other major versions, e.g. tar-stream 2).
const outRoot = join(root, 'engine', '.dist', 'src');

function* sources(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.startsWith('test-')) yield path;
  }
}

/** Relative specifiers keep pointing at siblings: `./x.ts` → `./x.js`. */
const rewriteImports = (code) => code.replace(/((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]+)\.ts(['"])/g, '$1$2.js$3');

rmSync(outRoot, { recursive: true, force: true });
let count = 0;
for (const file of sources(sourceRoot)) {
  const out = join(outRoot, relative(sourceRoot, file)).replace(/\.ts$/, '.js');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, rewriteImports(stripTypeScriptTypes(readFileSync(file, 'utf8'), { mode: 'strip' })));
  count++;
}
process.stderr.write(`[berth setup] built ${count} engine files into engine/.dist\n`);
