// Images in and out (API "Image"): save (GET /images/get, /images/{name}/get), load
// (POST /images/load), import (POST /images/create?fromSrc=), commit (POST /commit).
// `/images/{name}/get` and import arrive through image-routes' wildcard and `create` handlers,
// which call the exported handlers here.
import type { Writable } from 'node:stream';
import { EngineError, errorMessage } from '../../../core/errors.ts';
import type { EngineServices } from '../../../services/engine-services.ts';
import type { ImageTransferService } from '../../../services/images/image-transfer.ts';
import type { HttpContext } from '../../http-context.ts';
import { streamProgress } from '../../progress-stream.ts';
import { boolParam } from '../../query.ts';
import { ciObject, parseBody } from '../../validation.ts';
import * as v from 'valibot';
import { decodeRegistryAuth } from './registry-auth-header.ts';
import type { RouteTable } from '../../server.ts';

function transfer(s: EngineServices): ImageTransferService {
  if (!s.transfer) throw new EngineError('not-implemented', 'image save/load/import/commit are not available in this engine');
  return s.transfer;
}

/** GET /images/get?names=a&names=b and GET /images/{name}/get: an application/x-tar body. */
export async function saveHandler(s: EngineServices, ctx: HttpContext, names: string[]): Promise<void> {
  const { ready, stream } = transfer(s).save(names);
  // Unknown names and missing layers become a plain 404/500 before any byte of tar is sent.
  await ready;
  const { out } = ctx.startStream('application/x-tar');
  ctx.onClientGone(() => stream.destroy());
  stream.on('error', () => out.end());
  stream.pipe(out);
}

/** POST /images/create?fromSrc=: the body is the rootfs tarball ("-"), or the engine downloads it
 * from the URL given. Progress lines start the response; what fails before them is a plain error
 * reply, what fails after an in-band error line (as dockerd answers). */
export async function importHandler(s: EngineServices, ctx: HttpContext): Promise<void> {
  let out: Writable | undefined;
  const send = (value: object) => {
    out ??= ctx.startStream('application/json').out;
    out.write(`${JSON.stringify(value)}\n`);
  };
  try {
    const id = await transfer(s).import({
      body: ctx.bodyStream(),
      source: ctx.query.get('fromSrc') ?? '-',
      repo: ctx.query.get('repo') || undefined,
      tag: ctx.query.get('tag') || undefined,
      message: ctx.query.get('message') || undefined,
      changes: ctx.query.getAll('changes'),
      platform: ctx.query.get('platform') || undefined,
      onProgress: send,
    });
    if (!out) return ctx.sendJson(200, { status: id });
    send({ status: id });
  } catch (error) {
    if (!out) throw error;
    const message = ctx.publicMessage(error);
    send({ errorDetail: { message }, error: message });
  }
  out.end();
}

/** POST /images/{name}/push?tag=: progress lines; errors after the first line go in-band. */
export async function pushHandler(s: EngineServices, ctx: HttpContext, name: string): Promise<void> {
  const auth = decodeRegistryAuth(ctx.req.headers['x-registry-auth']);
  await streamProgress(ctx, (onProgress, signal) =>
    transfer(s).push({
      name,
      tag: ctx.query.get('tag') || undefined,
      auth: auth && { username: auth.username, password: auth.password, identityToken: auth.identitytoken, registryToken: auth.registrytoken },
      onProgress,
      signal,
    }),
  );
}

const AuthBody = ciObject({
  username: v.optional(v.string()),
  password: v.optional(v.string()),
  serveraddress: v.optional(v.string()),
  identitytoken: v.optional(v.string()),
});

export function transferRoutes(s: EngineServices): RouteTable[] {
  return [
    { method: 'GET', path: '/images/get', handler: (ctx) => saveHandler(s, ctx, ctx.query.getAll('names').flatMap((n) => n.split(',')).filter(Boolean)) },
    {
      method: 'POST',
      path: '/images/load',
      handler: async (ctx) => {
        // Everything is checked and stored before the response starts: a bad archive is a 400
        // the CLI prints as "Error response from daemon: …", as with dockerd.
        const lines: string[] = [];
        await transfer(s).load(ctx.bodyStream(), (text) => lines.push(text));
        const { out } = ctx.startStream('application/json');
        for (const text of lines) out.write(`${JSON.stringify({ stream: text })}\n`);
        out.end();
      },
    },
    {
      method: 'POST',
      path: '/auth',
      handler: async (ctx) => {
        const body = parseBody(AuthBody, await ctx.json(), 'auth config');
        try {
          await transfer(s).login(body.serveraddress ?? '', { username: body.username, password: body.password, identityToken: body.identitytoken || undefined });
        } catch (error) {
          // Docker answers a refused login with 401 and the registry's "unauthorized: …".
          if (error instanceof EngineError && error.kind === 'forbidden') return ctx.sendJson(401, { message: error.message });
          throw error;
        }
        ctx.sendJson(200, { Status: 'Login Succeeded', IdentityToken: '' });
      },
    },
    {
      method: 'POST',
      path: '/commit',
      handler: async (ctx) => {
        await ctx.body().catch((error: unknown) => {
          throw new EngineError('invalid', errorMessage(error));
        });
        const id = await transfer(s).commit({
          container: ctx.query.get('container') ?? '',
          repo: ctx.query.get('repo') || undefined,
          tag: ctx.query.get('tag') || undefined,
          comment: ctx.query.get('comment') || undefined,
          author: ctx.query.get('author') || undefined,
          changes: ctx.query.getAll('changes'),
          pause: boolParam(ctx.query, 'pause', true),
        });
        ctx.sendJson(201, { Id: id });
      },
    },
  ];
}
