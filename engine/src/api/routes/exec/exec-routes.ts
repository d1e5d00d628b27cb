// `docker exec` (API spec "Exec" tag): create, start (hijacked or plain), resize, inspect.
import * as v from 'valibot';
import { invalid } from '../../../core/errors.ts';
import type { EngineServices } from '../../../services/engine-services.ts';
import type { HttpContext } from '../../http-context.ts';
import type { RouteTable } from '../../server.ts';
import { intParam } from '../../query.ts';
import { frame, STREAM_STDOUT, streamContentType } from '../../stdio-framing.ts';
import { ciObject, parseBody, strSlice, stringArray } from '../../validation.ts';
import { pipeSession } from '../containers/stdio-routes.ts';

const createBody = ciObject({
  AttachStdin: v.optional(v.boolean()),
  AttachStdout: v.optional(v.boolean()),
  AttachStderr: v.optional(v.boolean()),
  ConsoleSize: v.nullish(v.array(v.pipe(v.number(), v.integer()))),
  DetachKeys: v.optional(v.string()),
  Tty: v.optional(v.boolean()),
  Env: stringArray,
  Cmd: strSlice,
  Privileged: v.optional(v.boolean()),
  User: v.optional(v.string()),
  WorkingDir: v.optional(v.string()),
});

const startBody = ciObject({
  Detach: v.optional(v.boolean()),
  Tty: v.optional(v.boolean()),
  ConsoleSize: v.nullish(v.array(v.pipe(v.number(), v.integer()))),
});

export function execRoutes(s: EngineServices): RouteTable[] {
  const start = async (ctx: HttpContext) => {
    const body = parseBody(startBody, await ctx.json(), 'exec start config');
    const instance = s.execs.get(ctx.params.id ?? '');
    const tty = body.Tty ?? instance.Config.Tty;
    s.execs.assertStartable(instance.ID);
    if (body.Detach) {
      const started = await s.execs.start(instance.ID, tty);
      started.session.detach();
      ctx.sendJson(200, {});
      return;
    }
    const stream = await ctx.hijack(streamContentType(tty, ctx.version));
    let started;
    try {
      started = await s.execs.start(instance.ID, tty);
    } catch (error) {
      // dockerd writes the failure into the process's stdout and ends the stream; the client
      // then reads the exec's exit code (126) as for any exec (api/server/router/container/exec.go).
      const message = Buffer.from(`${ctx.publicMessage(error)}\r\n`);
      stream.output.write(tty ? message : frame(STREAM_STDOUT, message));
      stream.end();
      return;
    }
    const size = body.ConsoleSize;
    if (tty && size && size.length === 2 && size[0] > 0) await s.execs.resize(instance.ID, size[0], size[1]).catch(() => undefined);
    const exited = started.exited;
    pipeSession(started.session, stream, {
      tty,
      stdin: instance.Config.AttachStdin,
      stdinOnce: true,
      stdout: instance.Config.AttachStdout,
      stderr: instance.Config.AttachStderr,
      // Clients read ExitCode right after the stream ends: it must be set by then.
      onClosed: async () => void (await exited),
    });
  };

  return [
    {
      method: 'POST',
      path: '/containers/:id/exec',
      handler: async (ctx) => {
        const body = parseBody(createBody, await ctx.json(), 'exec config');
        const cmd = body.Cmd ?? [];
        if (cmd.length === 0) throw invalid('No exec command specified');
        for (const entry of body.Env ?? []) if (!entry || entry.startsWith('=')) throw invalid(`invalid environment variable: ${entry}`);
        const id = s.execs.create(ctx.params.id ?? '', {
          Cmd: cmd,
          Env: body.Env ?? [],
          User: body.User ?? '',
          WorkingDir: body.WorkingDir ?? '',
          Tty: body.Tty ?? false,
          AttachStdin: body.AttachStdin ?? false,
          AttachStdout: body.AttachStdout ?? true,
          AttachStderr: body.AttachStderr ?? true,
          Privileged: body.Privileged ?? false,
          DetachKeys: body.DetachKeys ?? '',
        });
        ctx.sendJson(201, { Id: id });
      },
    },
    { method: 'POST', path: '/exec/:id/start', handler: start },
    {
      method: 'POST',
      path: '/exec/:id/resize',
      handler: async (ctx) => {
        const h = intParam(ctx.query, 'h') ?? 0;
        const w = intParam(ctx.query, 'w') ?? 0;
        await s.execs.resize(ctx.params.id ?? '', h, w);
        ctx.send(200);
      },
    },
    {
      method: 'GET',
      path: '/exec/:id/json',
      handler: (ctx) => {
        const e = s.execs.get(ctx.params.id ?? '');
        ctx.sendJson(200, {
          ID: e.ID,
          Running: e.Running,
          ExitCode: e.ExitCode,
          ProcessConfig: { tty: e.Config.Tty, entrypoint: e.Config.Cmd[0], arguments: e.Config.Cmd.slice(1), privileged: e.Config.Privileged, user: e.Config.User },
          OpenStdin: e.Config.AttachStdin,
          OpenStderr: e.Config.AttachStderr,
          OpenStdout: e.Config.AttachStdout,
          CanRemove: false,
          ContainerID: e.ContainerID,
          DetachKeys: e.Config.DetachKeys,
          Pid: e.Pid,
        });
      },
    },
  ];
}
