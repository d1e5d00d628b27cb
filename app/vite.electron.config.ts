// Builds the Electron side: `--mode main` → app/dist/main/main.js (ESM for Electron 45's Node 22,
// dependencies and built-ins left as imports) and beside it vm-forwarder.js, the Berth VM's
// socket forwarder, which the app starts detached with Electron's binary as Node (vm-control.ts), `--mode preload` → app/dist/preload/preload.cjs
// (one CommonJS file: a sandboxed preload can require only 'electron' and a few built-ins, so
// common/ is bundled into it). The renderer has its own config (vite.config.ts).
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
/** Left to Node's resolver at run time: Electron itself, native and heavy packages, built-ins. */
const external = [
  'electron', 'ws', 'dockerode', '@lydell/node-pty', 'tar-stream',
  ...builtinModules, ...builtinModules.map((m) => `node:${m}`), /^node:/,
];

export default defineConfig(({ mode }) => {
  if (mode !== 'main' && mode !== 'preload') throw new Error(`vite.electron.config.ts: --mode main or --mode preload, not "${mode}"`);
  const main = mode === 'main';
  return {
    logLevel: 'warn',
    publicDir: false,
    build: {
      outDir: here(main ? './dist/main' : './dist/preload'),
      emptyOutDir: true,
      sourcemap: true,
      minify: false,
      target: main ? 'node22' : 'chrome140',
      ssr: main ? true : undefined,
      lib: main ? undefined : { entry: here('./src/preload/preload.ts'), formats: ['cjs'], fileName: () => 'preload.cjs' },
      rolldownOptions: {
        ...(main ? { input: { main: here('./src/main/main.ts'), 'vm-forwarder': here('./src/backend/vm/forwarder-main.ts') } } : {}),
        external: main ? external : ['electron'],
        output: main ? { format: 'es', entryFileNames: '[name].js' } : { format: 'cjs', entryFileNames: 'preload.cjs' },
      },
    },
    ssr: main ? { target: 'node', noExternal: [] } : undefined,
  };
});
