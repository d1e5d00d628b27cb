// What the renderer sends to run a compose project, checked before any CLI sees it: the files
// exist and are files (a folder, a missing file or a relative path is a 400 that says which and
// why), the working directory is a folder, and the project name is one Compose accepts.
import { statSync } from 'node:fs';
import { basename, dirname, isAbsolute } from 'node:path';
import type { ComposeCommand } from '../../common/desktop-api.ts';
import { optionalString, requireObject, requireOneOf, stringArray } from '../argument-checks.ts';
import { badRequest } from '../backend-error.ts';

export const COMPOSE_COMMANDS: readonly ComposeCommand[] = ['up', 'down', 'pull', 'restart'];

export interface CheckedComposeFiles {
  files: string[];
  workingDir: string;
  project: string;
}

/**
 * The name Compose derives from a folder (compose-spec "name": lowercase letters, digits, dashes
 * and underscores, starting with a letter or digit); '' when nothing is left.
 */
export function projectNameFrom(folder: string): string {
  return folder.toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[-_]+/, '');
}

const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

export function checkProjectName(value: string): string {
  if (!PROJECT_NAME.test(value)) {
    throw badRequest(`"${value}" is not a valid compose project name: use lowercase letters, digits, "-" and "_", starting with a letter or digit`);
  }
  return value;
}

function statOrNull(path: string) {
  try {
    return statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw badRequest(`cannot read ${path}: ${(error as Error).message}`);
  }
}

function checkFile(path: string): string {
  if (path.includes('\0')) throw badRequest('a compose file path must not contain NUL bytes');
  if (!isAbsolute(path)) throw badRequest(`the compose file must be given as an absolute path on the machine Berth runs on (where the Compose CLI reads it), got "${path}"`);
  const stat = statOrNull(path);
  if (!stat) throw badRequest(`the compose file ${path} does not exist`);
  if (stat.isDirectory()) throw badRequest(`${path} is a folder, not a compose file: choose the file inside it (compose.yaml or docker-compose.yml)`);
  if (!stat.isFile()) throw badRequest(`${path} is not a regular file`);
  return path;
}

export function checkComposeFiles(value: unknown): CheckedComposeFiles {
  const input = requireObject(value, 'compose files');
  const files = stringArray(input.files, 'compose files.files');
  if (files.length === 0) throw badRequest('name at least one compose file');
  files.forEach(checkFile);
  const workingDir = optionalString(input.workingDir, 'compose files.workingDir') ?? dirname(files[0]);
  if (!isAbsolute(workingDir)) throw badRequest(`the working directory must be an absolute path, got "${workingDir}"`);
  const stat = statOrNull(workingDir);
  if (!stat?.isDirectory()) throw badRequest(`the working directory ${workingDir} is not a folder`);
  const named = optionalString(input.project, 'compose files.project');
  const project = named === undefined ? projectNameFrom(basename(workingDir)) : checkProjectName(named);
  if (!project) throw badRequest(`no project name can be made from the folder name "${basename(workingDir)}": give the project a name`);
  return { files, workingDir, project };
}

export function checkComposeCommand(value: unknown): ComposeCommand {
  return requireOneOf(value, COMPOSE_COMMANDS, 'compose command');
}
