// Stacks: `docker stack deploy -c FILE NAME` and `docker stack rm NAME` through the docker CLI
// (docker-cli.ts), and the list of stacks read from the services' stack label, as the CLI does.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliOutputLine, StackSummary } from '../../common/desktop-api.ts';
import { requireString } from '../argument-checks.ts';
import type { BackendContext } from '../backend-context.ts';
import { badRequest } from '../backend-error.ts';
import type { StreamSession, StreamSink } from '../desktop-backend.ts';
import { engineJson } from '../engine-request.ts';
import { cliFailure, runDockerCli } from './docker-cli.ts';
import { STACK_LABEL, type ApiService } from './swarm-shapes.ts';

/** A stack name as the CLI accepts it (it prefixes every resource with it). */
const STACK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

function stackName(value: unknown): string {
  const name = requireString(value, 'stack name');
  if (!STACK_NAME.test(name)) throw badRequest(`stack name "${name}" is not valid: use letters, digits, _ . - (starting with a letter or digit)`);
  return name;
}

export async function listStacks(context: BackendContext): Promise<StackSummary[]> {
  const filters = JSON.stringify({ label: [STACK_LABEL] });
  const services = await engineJson<ApiService[]>(context.target.docker, { method: 'GET', path: '/services', query: { filters } });
  const counts = new Map<string, number>();
  for (const s of services) {
    const name = s.Spec.Labels?.[STACK_LABEL];
    if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].map(([name, count]) => ({ name, services: count })).sort((a, b) => a.name.localeCompare(b.name));
}

export async function removeStack(context: BackendContext, value: unknown): Promise<void> {
  const name = stackName(value);
  const args = ['stack', 'rm', name];
  const run = runDockerCli(context.target.connection, args, () => undefined);
  const code = await run.done;
  if (code !== 0) throw cliFailure(args, code, run.stderr());
}

/** Streams the CLI's output; completes on exit 0, errors with its stderr otherwise. The compose
 * file comes as text (the dashboard's browser has no path to give) and lives in a private temp
 * dir for the run; relative paths in it (env files, configs) resolve there, so they are not
 * supported. */
export function openStackDeployStream(context: BackendContext, args: unknown[], sink: StreamSink<CliOutputLine>): StreamSession<never> {
  const name = stackName(args[0]);
  const compose = requireString(args[1], 'compose file');
  if (!compose.trim()) throw badRequest('the compose file is empty');
  const dir = mkdtempSync(join(tmpdir(), 'berth-stack-'));
  const file = join(dir, 'compose.yaml');
  writeFileSync(file, compose, { mode: 0o600 });
  const cliArgs = ['stack', 'deploy', '--compose-file', file, name];
  let closed = false;
  const run = runDockerCli(context.target.connection, cliArgs, (line) => {
    if (!closed) sink.next(line);
  }, { cwd: dir });
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  run.done.then(
    (code) => {
      cleanup();
      if (closed) return;
      closed = true;
      if (code === 0) sink.complete();
      else sink.error(cliFailure(['stack', 'deploy', name], code, run.stderr()));
    },
    (error: unknown) => {
      cleanup();
      if (closed) return;
      closed = true;
      sink.error(error);
    },
  );
  return {
    close() {
      closed = true;
      run.kill();
    },
  };
}
