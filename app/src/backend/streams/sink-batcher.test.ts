import { describe, expect, it } from 'vitest';
import { BATCH_MAX_ITEMS, SinkBatcher } from './sink-batcher.ts';

function fakeTransport() {
  const sent: number[][] = [];
  let drain: (() => void) | undefined;
  let congested = false;
  return {
    sent,
    setCongested(value: boolean) { congested = value; },
    sink: { onDrain(listener: () => void) { drain = listener; } },
    send: (items: number[]) => { sent.push(items); return !congested; },
    drain() { const d = drain; drain = undefined; d?.(); },
  };
}

function fakeSource() {
  return { paused: false, pause() { this.paused = true; }, resume() { this.paused = false; } };
}

describe('SinkBatcher', () => {
  it('sends a full batch at once, and the rest after the interval', async () => {
    const t = fakeTransport();
    const batcher = new SinkBatcher<number>(t.sink, t.send);
    for (let i = 0; i < BATCH_MAX_ITEMS + 3; i++) batcher.push(i);
    expect(t.sent.map((b) => b.length)).toEqual([BATCH_MAX_ITEMS]);
    await new Promise((r) => setTimeout(r, 100));
    expect(t.sent.map((b) => b.length)).toEqual([BATCH_MAX_ITEMS, 3]);
  });

  it('pauses its sources while the transport is congested, and resumes them on drain', () => {
    const t = fakeTransport();
    const source = fakeSource();
    const batcher = new SinkBatcher<number>(t.sink, t.send, () => [source]);
    t.setCongested(true);
    batcher.push(1);
    batcher.flush();
    expect(source.paused).toBe(true);
    expect(batcher.paused).toBe(true);
    t.setCongested(false);
    t.drain();
    expect(source.paused).toBe(false);
    expect(batcher.paused).toBe(false);
  });

  it('sends nothing once stopped, and does not resume sources after a stop', () => {
    const t = fakeTransport();
    const source = fakeSource();
    const batcher = new SinkBatcher<number>(t.sink, t.send, () => [source]);
    t.setCongested(true);
    batcher.push(1);
    batcher.flush();
    batcher.stop();
    t.drain();
    expect(source.paused).toBe(true);
    batcher.push(2);
    batcher.flush();
    expect(t.sent).toEqual([[1]]);
  });
});
