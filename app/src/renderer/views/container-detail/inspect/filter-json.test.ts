import { describe, expect, test } from 'vitest';
import { filterJson } from './filter-json.ts';

const inspect = {
  Id: 'abc123',
  State: { Status: 'running', Running: true, Pid: 4242 },
  NetworkSettings: { Networks: { bridge: { IPAddress: '10.88.0.2', Gateway: '10.88.0.1' } } },
  Config: { Env: ['PATH=/usr/bin', 'GREETING=hello'] },
};

describe('filterJson', () => {
  test('keeps matching keys with their whole value, and the path leading to them', () => {
    expect(filterJson(inspect, 'ipaddress')).toEqual({ NetworkSettings: { Networks: { bridge: { IPAddress: '10.88.0.2' } } } });
    expect(filterJson(inspect, 'state')).toEqual({ State: inspect.State });
  });

  test('keeps matching values, in arrays too', () => {
    expect(filterJson(inspect, 'hello')).toEqual({ Config: { Env: ['GREETING=hello'] } });
    expect(filterJson(inspect, '4242')).toEqual({ State: { Pid: 4242 } });
  });

  test('an empty query keeps everything; no match gives an empty document', () => {
    expect(filterJson(inspect, '  ')).toBe(inspect);
    expect(filterJson(inspect, 'nothing-like-this')).toEqual({});
  });
});
