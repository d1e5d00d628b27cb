// Reading a container's files through GET /containers/{id}/archive (Docker API "Get an archive of
// a filesystem resource in a container"), which works whether or not the container runs and
// needs no tools inside it. The answer is a tar of the path; X-Docker-Container-Path-Stat carries
// the path's own stat (base64 JSON, mode in Go os.FileMode bits).
import type { IncomingMessage } from 'node:http';
import { posix } from 'node:path';
import { extract, type Header } from 'tar-stream';
import type { FileContent, FileEntry, FileListing } from '../../common/desktop-api.ts';
import type { BackendContext } from '../backend-context.ts';
import { BackendError, badRequest } from '../backend-error.ts';
import { engineStream } from '../engine-request.ts';

export const MAX_LISTED_ENTRIES = 5000;
export const MAX_FILE_BYTES = 256 * 1024 * 1024;
/** Go's os.ModeDir and os.ModeSymlink bits. */
const GO_MODE_DIR = 2 ** 31;
const GO_MODE_SYMLINK = 2 ** 27;

interface PathStat { name: string; size: number; mode: number; mtime: string; linkTarget: string }

function pathStat(response: IncomingMessage): PathStat | undefined {
  const header = response.headers['x-docker-container-path-stat'];
  if (typeof header !== 'string') return undefined;
  try {
    return JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as PathStat;
  } catch {
    return undefined;
  }
}

function openArchive(context: BackendContext, id: string, path: string): Promise<IncomingMessage> {
  return engineStream(context.target.docker, {
    method: 'GET', path: `/containers/${encodeURIComponent(id)}/archive`, query: { path },
  });
}

function entryType(type: Header['type']): FileEntry['type'] {
  if (type === 'directory') return 'dir';
  if (type === 'symlink') return 'symlink';
  if (type === 'file' || type === 'contiguous-file' || type === 'link') return 'file';
  return 'other';
}

/** A tar entry name relative to the archived directory: "dir/a/b" → "a/b"; "./a" → "a". */
function relativeName(name: string): string {
  const clean = name.replace(/^\.?\/+/, '').replace(/\/+$/, '');
  const slash = clean.indexOf('/');
  return slash === -1 ? '' : clean.slice(slash + 1);
}

/** Lists a directory from the tar headers of its depth-1 entries; file bodies are skipped. */
export async function listFromArchive(context: BackendContext, id: string, path: string): Promise<FileListing> {
  const response = await openArchive(context, id, path);
  const stat = pathStat(response);
  if (stat && (stat.mode & GO_MODE_DIR) === 0) {
    response.destroy();
    throw badRequest(`${path} is not a directory`);
  }
  const entries: FileEntry[] = [];
  let truncated = false;
  const parser = extract();
  await new Promise<void>((resolve, reject) => {
    parser.on('entry', (header, body, next) => {
      // The archive of "/" holds the root's children directly ("bin/", "./etc/"): no prefix to drop.
      const rel = path === '/' ? header.name.replace(/^\.?\/+/, '').replace(/\/+$/, '') : relativeName(header.name);
      if (rel !== '' && !rel.includes('/')) {
        entries.push({
          name: rel,
          path: path === '/' ? `/${rel}` : `${path}/${rel}`,
          type: entryType(header.type),
          size: header.size ?? 0,
          mode: (header.mode ?? 0) & 0o7777,
          modified: header.mtime ? header.mtime.getTime() : 0,
          ...(header.type === 'symlink' ? { linkTarget: header.linkname ?? '' } : {}),
        });
        if (entries.length >= MAX_LISTED_ENTRIES) {
          truncated = true;
          response.destroy();
          resolve();
          return;
        }
      }
      body.on('end', next);
      body.resume();
    });
    parser.on('finish', () => resolve());
    parser.on('error', (error: Error) => (truncated ? resolve() : reject(error)));
    response.on('error', (error) => (truncated ? resolve() : reject(error)));
    response.pipe(parser);
  });
  parser.destroy();
  entries.sort((a, b) => a.name.localeCompare(b.name));
  return truncated ? { path, entries, truncated } : { path, entries };
}

export async function readFromArchive(context: BackendContext, id: string, path: string): Promise<FileContent> {
  const response = await openArchive(context, id, path);
  const stat = pathStat(response);
  const name = posix.basename(path);
  if (stat && (stat.mode & GO_MODE_DIR) !== 0) {
    response.destroy();
    throw badRequest(`${path} is a directory`);
  }
  if (stat && (stat.mode & GO_MODE_SYMLINK) !== 0) {
    response.destroy();
    throw badRequest(`${path} is a symbolic link to ${stat.linkTarget}: open its target instead`);
  }
  if (stat && stat.size > MAX_FILE_BYTES) {
    response.destroy();
    throw new BackendError(413, `${path} is ${stat.size} bytes; files over 256 MiB cannot be opened here (use docker cp)`);
  }
  const parser = extract();
  const content = await new Promise<FileContent>((resolve, reject) => {
    let found = false;
    parser.on('entry', (header, body, next) => {
      if (found) {
        body.on('end', next);
        body.resume();
        return;
      }
      found = true;
      if (header.type === 'directory') return reject(badRequest(`${path} is a directory`));
      if (header.type === 'symlink') return reject(badRequest(`${path} is a symbolic link to ${header.linkname ?? '?'}: open its target instead`));
      if ((header.size ?? 0) > MAX_FILE_BYTES) {
        return reject(new BackendError(413, `${path} is ${header.size} bytes; files over 256 MiB cannot be opened here (use docker cp)`));
      }
      const chunks: Buffer[] = [];
      body.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
      body.on('end', () => {
        const bytes = Buffer.concat(chunks);
        resolve({ name, size: bytes.length, base64: bytes.toString('base64') });
      });
    });
    parser.on('finish', () => {
      if (!found) reject(new BackendError(404, `${path} was not found in the container`));
    });
    parser.on('error', reject);
    response.on('error', reject);
    response.pipe(parser);
  }).finally(() => {
    response.destroy();
    parser.destroy();
  });
  return content;
}
