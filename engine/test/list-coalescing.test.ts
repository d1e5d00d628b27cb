// Identical list requests that arrive together share one answer (engine/src/api/coalesce.ts); a
// request must still see every change made before it arrived, and a shared error reaches each
// request. Driven over the real socket, with waves of concurrent GETs around container changes.
import { describe, expect, it } from 'vitest';
import { useEngineWithBusybox } from './support/engine-fixture.ts';
import { rawApi } from './support/raw-api.ts';

const fx = useEngineWithBusybox();

const WAVE = 60;

async function listNames(path: string): Promise<string[][]> {
  const replies = await Promise.all(Array.from({ length: WAVE }, () => rawApi(fx.engine.socket, 'GET', path)));
  return replies.map((r) => {
    expect(r.status, r.body.toString()).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(Number(r.headers['content-length'])).toBe(r.body.length);
    return (JSON.parse(r.body.toString()) as Array<{ Names: string[] }>).flatMap((c) => c.Names);
  });
}

async function create(name: string): Promise<void> {
  const body = Buffer.from(JSON.stringify({ Image: fx.busybox, Cmd: ['true'] }));
  const r = await rawApi(fx.engine.socket, 'POST', `/containers/create?name=${name}`, body);
  expect(r.status, r.body.toString()).toBe(201);
}

describe('concurrent list requests', () => {
  it('answer every request that arrives after a create or remove with the change in it, while other listings are in flight', async () => {
    await create('coalesce-a');
    // A wave of listings in flight while the container is made; a second wave sent once the
    // create has answered must all see it, whatever the first wave is still doing.
    const during = listNames('/containers/json?all=1');
    await create('coalesce-b');
    const after = listNames('/containers/json?all=1');
    for (const names of await during) expect(names).toContain('/coalesce-a');
    for (const names of await after) expect(names).toEqual(expect.arrayContaining(['/coalesce-a', '/coalesce-b']));

    const beforeRemove = listNames('/containers/json?all=1');
    const removed = await rawApi(fx.engine.socket, 'DELETE', '/containers/coalesce-b');
    expect(removed.status).toBe(204);
    const afterRemove = listNames('/containers/json?all=1');
    await beforeRemove;
    for (const names of await afterRemove) {
      expect(names).toContain('/coalesce-a');
      expect(names).not.toContain('/coalesce-b');
    }
  });

  it('keeps requests with different queries apart', async () => {
    const [all, running] = await Promise.all([listNames('/containers/json?all=1'), listNames('/containers/json')]);
    for (const names of all) expect(names).toContain('/coalesce-a');
    for (const names of running) expect(names).not.toContain('/coalesce-a');
  });

  it('answers a tag made before the request in every concurrent image listing', async () => {
    const tag = await rawApi(fx.engine.socket, 'POST', `/images/${encodeURIComponent(fx.busybox)}/tag?repo=coalesce/tagged&tag=1`);
    expect(tag.status, tag.body.toString()).toBe(201);
    const replies = await Promise.all(Array.from({ length: WAVE }, () => rawApi(fx.engine.socket, 'GET', '/images/json')));
    for (const r of replies) {
      expect(r.status).toBe(200);
      const tags = (JSON.parse(r.body.toString()) as Array<{ RepoTags: string[] }>).flatMap((i) => i.RepoTags);
      expect(tags).toContain('coalesce/tagged:1');
    }
  });

  it('gives each of the concurrent requests with a bad filter its own 400', async () => {
    const path = `/containers/json?filters=${encodeURIComponent(JSON.stringify({ status: ['sleeping'] }))}`;
    const replies = await Promise.all(Array.from({ length: 20 }, () => rawApi(fx.engine.socket, 'GET', path)));
    for (const r of replies) {
      expect(r.status).toBe(400);
      expect(JSON.parse(r.body.toString())).toEqual({ message: "invalid filter 'status=sleeping'" });
    }
  });
});
