// berthd's V8 flags decide its memory (idle RSS, growth under churn: scripts/bootstrap.mjs says
// what each one saves). V8 freezes its flags at start-up, so every launcher passes them on the
// command line itself; this keeps the six launchers from drifting apart.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

function bootstrapFlags(): string {
  const match = /const ENGINE_NODE_FLAGS = \[([^\]]*)\]/.exec(read('scripts/bootstrap.mjs'));
  if (!match) throw new Error('ENGINE_NODE_FLAGS not found in scripts/bootstrap.mjs');
  return [...match[1].matchAll(/'([^']+)'/g)].map((m) => m[1]).join(' ');
}

describe('berthd V8 flags', () => {
  const flags = bootstrapFlags();

  it('keep the engine in the interpreter and baseline tiers with a small young generation', () => {
    expect(flags.split(' ')).toEqual(['--max-semi-space-size=1', '--no-maglev']);
  });

  it.each([
    ['engine/bin/berthd', (s: string) => s.includes(`exec "$node" ${flags} "$entry"`)],
    ['packaging/berth-engine/berthd', (s: string) => s.includes(`exec "$lib/node" ${flags} `)],
    ['vm-assets/guest/run-berthd', (s: string) => s.includes(`exec /usr/bin/node ${flags} `)],
    ['app/src/backend/engine/engine-supervisor.ts', (s: string) => s.includes(`'${flags}').split(' ')`)],
    ['app/src/backend/engine/elevated-engine.ts', (s: string) => s.includes(`['${flags.split(' ').join("', '")}']`)],
  ])('are the same in %s', (path, has) => {
    expect(has(read(path))).toBe(true);
  });
});
