// The build context as the docker CLI sends it: the folder as a tar, without what .dockerignore
// excludes (tar-fs walks and packs, @balena/dockerignore matches, as dockerode does), except that
// the Dockerfile and .dockerignore always go (the CLI adds them back: the engine needs them).
import { readFileSync, statSync } from 'node:fs';
import { relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import dockerIgnore from '@balena/dockerignore';
import { pack } from 'tar-fs';

export function packBuildContext(folder: string, dockerfile: string): Readable {
  let patterns = '';
  try {
    patterns = readFileSync(`${folder}/.dockerignore`, 'utf8');
  } catch {
    // No .dockerignore: everything goes.
  }
  // A CommonJS module: Node's default import is the factory, whose `.default` is itself (the
  // package sets it for TypeScript), so `.default` is right under both.
  const matcher = dockerIgnore.default({ ignorecase: false }).add(patterns);
  // With an exception (`!keep`) inside an excluded folder the folder must still be walked.
  const hasExceptions = patterns.split(/\r?\n/).some((l) => l.trim().startsWith('!'));
  const keep = new Set([dockerfile, '.dockerignore']);
  return pack(folder, {
    ignore: (path) => {
      const rel = relative(folder, path).split(sep).join('/');
      if (rel === '' || keep.has(rel)) return false;
      if (!matcher.ignores(rel)) return false;
      return !hasExceptions || !isDirectoryPath(path);
    },
    // Owners are not part of a context (the CLI sends uid/gid 0).
    map: (header) => ({ ...header, uid: 0, gid: 0, uname: '', gname: '' }),
  });
}

function isDirectoryPath(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
