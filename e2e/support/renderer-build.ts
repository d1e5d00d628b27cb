// The dashboard serves app/dist/renderer. `npm test` builds it in the bootstrap; a bare vitest run
// (or a bench) may find it missing or older than the sources, so build it here with the same Vite
// config rather than test a stale UI.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { COMMON_SRC, RENDERER_DIST, RENDERER_SRC, REPO_ROOT } from './paths.ts';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Why the build in app/dist/renderer cannot be used as is, or undefined when it is current. */
export function rendererBuildProblem(): string | undefined {
  const index = join(RENDERER_DIST, 'index.html');
  if (!existsSync(index)) return `${index} is missing`;
  const sources = Math.max(newestMtime(RENDERER_SRC), newestMtime(COMMON_SRC), statSync(join(REPO_ROOT, 'app', 'vite.config.ts')).mtimeMs);
  if (sources > statSync(index).mtimeMs) return 'app/src/renderer or app/src/common changed after the last build';
  return undefined;
}

/** Builds the renderer with Vite when it is missing or stale; throws with Vite's output if that fails. */
export function ensureRendererBuilt(log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): void {
  const problem = rendererBuildProblem();
  if (!problem) return;
  log(`e2e: building the renderer (${problem})`);
  const vite = join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '-c', 'app/vite.config.ts'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 300_000 });
  if (result.status !== 0 || !existsSync(join(RENDERER_DIST, 'index.html'))) {
    throw new Error(
      `building the renderer failed (exit ${result.status ?? result.signal}); run \`npm run setup\` or ` +
        `\`node node_modules/vite/bin/vite.js build -c app/vite.config.ts\` and look at its output:\n` +
        `${result.stdout ?? ''}\n${result.stderr ?? ''}`.trim(),
    );
  }
}
