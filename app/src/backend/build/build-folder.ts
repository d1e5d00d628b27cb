// The build context folder as the Build view sees it: where it may come from (the dashboard reads
// folders on the engine's machine only), which Dockerfiles it has, and for one Dockerfile its
// stages, ARGs and instruction lines (dockerfile-ast: continuation lines, escape directive and
// heredocs are its business, not ours).
import { readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import type { BuildFolderInfo } from '../../common/desktop-api.ts';
import type { BackendContext } from '../backend-context.ts';
import { badRequest } from '../backend-error.ts';
import { parseEndpoint } from '../engine-connection.ts';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** True when the engine runs on the machine this backend runs on (a Unix socket, or loopback TCP:
 * the VM's socket is forwarded to the host, so it counts as local too). */
export function engineIsLocal(endpoint: string): boolean {
  const target = parseEndpoint(endpoint);
  return target.kind === 'unix' || (target.kind === 'tcp' && LOOPBACK.has(target.host));
}

/** A context folder the backend may read: absolute, an existing directory, and — in the dashboard,
 * whose user may sit at another machine — only while the engine is local to the backend. */
export async function checkBuildFolder(context: BackendContext, value: unknown): Promise<string> {
  if (typeof value !== 'string' || value.trim() === '') throw badRequest('the build folder is required');
  if (!isAbsolute(value)) throw badRequest(`the build folder must be an absolute path: ${value}`);
  if (context.shell === 'dashboard' && !engineIsLocal(context.target.endpoint)) {
    throw badRequest(`the dashboard builds from folders on the engine's machine only, and the engine at ${context.target.endpoint} is remote: a path typed here would name a folder on the machine running berth dashboard. Build from the desktop app, or switch to a local engine.`);
  }
  const folder = normalize(value);
  const info = await stat(folder).catch(() => undefined);
  if (!info?.isDirectory()) throw badRequest(`not a folder on the engine's machine: ${folder}`);
  return folder;
}

/** A Dockerfile path inside the folder (no way out through `..` or an absolute path). */
export function checkDockerfile(folder: string, value: unknown): string {
  const name = typeof value === 'string' && value.trim() !== '' ? value.trim() : 'Dockerfile';
  const rel = relative(folder, join(folder, name));
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) throw badRequest(`the Dockerfile must be inside the build folder: ${name}`);
  return rel.split(sep).join('/');
}

const DOCKERFILE_NAME = /(^|\.)(dockerfile|containerfile)(\.|$)/i;

async function findDockerfiles(folder: string): Promise<string[]> {
  // The folder itself and one level down (docker/Dockerfile is common); not deeper, a context
  // can be large.
  const found: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    if (entry.isFile() && DOCKERFILE_NAME.test(entry.name)) found.push(entry.name);
    else if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules') {
      const inner = await readdir(join(folder, entry.name), { withFileTypes: true }).catch(() => []);
      for (const e of inner) if (e.isFile() && DOCKERFILE_NAME.test(e.name)) found.push(`${entry.name}/${e.name}`);
    }
  }
  return found.sort((a, b) => Number(b === 'Dockerfile') - Number(a === 'Dockerfile') || a.localeCompare(b));
}

export interface DockerfileFacts {
  stages: string[];
  args: Array<{ name: string; default?: string }>;
  /** The 1-based line of each instruction, in order: step N of the classic builder is instruction N. */
  instructionLines: number[];
  lines: string[];
}

export function dockerfileFacts(text: string): DockerfileFacts {
  const parsed = DockerfileParser.parse(text);
  const stages: string[] = [];
  const args: DockerfileFacts['args'] = [];
  for (const from of parsed.getFROMs()) {
    const name = from.getBuildStage();
    if (name) stages.push(name);
  }
  for (const arg of parsed.getInstructions().filter((i) => i.getKeyword() === 'ARG')) {
    for (const a of arg.getArguments()) {
      const [name, ...rest] = a.getValue().split('=');
      if (name && !args.some((x) => x.name === name)) args.push(rest.length > 0 ? { name, default: rest.join('=') } : { name });
    }
  }
  return {
    stages,
    args,
    instructionLines: parsed.getInstructions().map((i) => i.getRange().start.line + 1),
    lines: text.split(/\r?\n/),
  };
}

export async function readDockerfile(folder: string, dockerfile: string): Promise<DockerfileFacts | undefined> {
  const text = await readFile(join(folder, dockerfile), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : dockerfileFacts(text);
}

export async function buildFolderInfo(context: BackendContext, folderArg: unknown, dockerfileArg: unknown): Promise<BuildFolderInfo> {
  const folder = await checkBuildFolder(context, folderArg);
  const dockerfiles = await findDockerfiles(folder);
  const chosen = dockerfileArg === undefined || dockerfileArg === null || dockerfileArg === '' ? dockerfiles[0] : checkDockerfile(folder, dockerfileArg);
  const facts = chosen === undefined ? undefined : await readDockerfile(folder, chosen);
  return {
    folder,
    dockerfiles,
    ...(chosen !== undefined && facts ? { dockerfile: chosen } : {}),
    stages: facts?.stages ?? [],
    args: facts?.args ?? [],
  };
}
