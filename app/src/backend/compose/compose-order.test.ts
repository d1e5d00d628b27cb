// Start order from what Compose leaves on containers: v2's depends_on label, the links,
// network/pid/ipc modes and volumes_from any CLI leaves, cycles, and one-off containers.
import { describe, expect, it } from 'vitest';
import { dependsOnLabel, isOneOff, startWaves, type OrderedContainer } from './compose-order.ts';

function c(id: string, service: string, more: Partial<OrderedContainer> = {}): OrderedContainer {
  return { id: `${id}`.padEnd(64, '0'), name: `p_${service}_${id}`, service, labels: {}, ...more };
}

const names = (waves: OrderedContainer[][]) => waves.map((w) => w.map((x) => x.name).sort());

describe('startWaves', () => {
  it('orders by the depends_on label, scaled services together, unknown services ignored', () => {
    const waves = startWaves([
      c('1', 'web', { labels: { 'com.docker.compose.depends_on': 'api:service_started:false,gone:service_started:false' } }),
      c('2', 'api', { labels: { 'com.docker.compose.depends_on': 'db:service_healthy:true' } }),
      c('3', 'api', { labels: { 'com.docker.compose.depends_on': 'db:service_healthy:true' } }),
      c('4', 'db', { labels: { 'com.docker.compose.depends_on': '' } }),
    ]);
    expect(names(waves)).toEqual([['p_db_4'], ['p_api_2', 'p_api_3'], ['p_web_1']]);
  });

  it('orders by links, network/pid/ipc "container:" modes and volumes_from (by name, id or id prefix)', () => {
    const db = c('a1', 'db');
    const waves = startWaves([
      c('b1', 'web', { links: ['/p_db_a1:/p_web_b1/db'] }),
      c('c1', 'sidecar', { networkMode: `container:${db.id}` }),
      c('d1', 'tool', { pidMode: `container:${db.id.slice(0, 12)}`, volumesFrom: ['p_web_b1:ro'] }),
      db,
    ]);
    expect(names(waves)).toEqual([['p_db_a1'], ['p_sidecar_c1', 'p_web_b1'], ['p_tool_d1']]);
  });

  it('puts a dependency cycle in one last wave instead of losing it', () => {
    const waves = startWaves([
      c('1', 'a', { labels: { 'com.docker.compose.depends_on': 'b' } }),
      c('2', 'b', { labels: { 'com.docker.compose.depends_on': 'a' } }),
      c('3', 'c'),
    ]);
    expect(names(waves)).toEqual([['p_c_3'], ['p_a_1', 'p_b_2']]);
  });

  it('reads the label and the one-off flag as both CLIs write them', () => {
    expect(dependsOnLabel('db:service_healthy:false, cache:service_started:true')).toEqual(['db', 'cache']);
    expect(dependsOnLabel('')).toEqual([]);
    expect([isOneOff({ 'com.docker.compose.oneoff': 'True' }), isOneOff({ 'com.docker.compose.oneoff': 'False' }), isOneOff({})]).toEqual([true, false, false]);
  });
});
