// The Compose view's grouping: projects from container labels, services with their state, the
// counts a row shows, remembered projects that are down, and stable service colours.
import { describe, expect, it } from 'vitest';
import type { ContainerSummary } from '../../../common/docker-types.ts';
import { buildProjects, configFiles, countsText, engineIsRemote, LABELS, sourceClass } from './compose-model.ts';

function container(id: string, project: string | undefined, service: string, state: string): ContainerSummary {
  return {
    Id: id, Names: [`/${project}_${service}_${id}`], Image: 'busybox', ImageID: 'sha256:x', Command: 'sh', Created: 0, Ports: [], State: state,
    Status: '', Labels: project ? { [LABELS.project]: project, [LABELS.service]: service, [LABELS.workingDir]: `/src/${project}`, [LABELS.configFiles]: 'docker-compose.yml' } : {},
  } as unknown as ContainerSummary;
}

describe('buildProjects', () => {
  it('groups labelled containers by project and service, with counts, folder and files; leaves others out', () => {
    const rows = buildProjects([
      container('1', 'web', 'app', 'running'),
      container('2', 'web', 'app', 'exited'),
      container('3', 'web', 'db', 'running'),
      container('4', 'api', 'srv', 'paused'),
      container('5', undefined, 'loose', 'running'),
    ]);
    expect(rows.map((r) => r.name)).toEqual(['api', 'web']);
    const web = rows[1];
    expect(web).toMatchObject({ running: 2, stopped: 1, paused: 0, total: 3, workingDir: '/src/web', files: ['/src/web/docker-compose.yml'], down: false });
    expect(web.services.map((s) => [s.name, s.state, s.containers.length])).toEqual([['app', 'mixed', 2], ['db', 'running', 1]]);
    expect(countsText(web)).toBe('2 running, 1 stopped');
    expect(countsText(rows[0])).toBe('0 running, 1 paused');
  });

  it('keeps one-off `compose run` containers out of the services and the counts, listed apart', () => {
    const run = (id: string, state: string) => {
      const c = container(id, 'web', 'app', state);
      return { ...c, Labels: { ...c.Labels, [LABELS.oneOff]: 'True' } } as ContainerSummary;
    };
    const [web] = buildProjects([container('1', 'web', 'app', 'running'), { ...container('2', 'web', 'db', 'running'), Labels: { ...container('2', 'web', 'db', 'running').Labels, [LABELS.oneOff]: 'False' } } as ContainerSummary, run('3', 'exited'), run('4', 'running')]);
    expect(web).toMatchObject({ running: 2, stopped: 0, total: 2 });
    expect(web.services.map((s) => [s.name, s.containers.length])).toEqual([['app', 1], ['db', 1]]);
    expect(web.oneOff.map((c) => [c.id, c.state])).toEqual([['3', 'exited'], ['4', 'running']]);
    expect(countsText(web)).toBe('2 running');
  });

  it('adds remembered projects with no containers as down, and fills files from memory', () => {
    const rows = buildProjects([container('1', 'web', 'app', 'exited')], [
      { project: 'web', workingDir: '/src/web', files: ['/src/web/a.yml'], lastUsed: 2 },
      { project: 'old', workingDir: '/src/old', files: ['/src/old/compose.yaml'], lastUsed: 1 },
    ]);
    expect(rows.map((r) => [r.name, r.down])).toEqual([['old', true], ['web', false]]);
    expect(countsText(rows[0])).toBe('Down');
    expect(rows[1].services[0].state).toBe('stopped');
  });

  it('resolves relative config files against the working directory', () => {
    expect(configFiles('a.yml, ./b.yml,/abs/c.yml', '/w/')).toEqual(['/w/a.yml', '/w/b.yml', '/abs/c.yml']);
    expect(configFiles(undefined, '/w')).toEqual([]);
  });

  it('gives the first six services of a project six different colours, any other service a stable one', () => {
    const services = ['a', 'b', 'c', 'd', 'e', 'f'];
    expect(new Set(services.map((name) => sourceClass(name, services))).size).toBe(6);
    expect(sourceClass('one', ['one', 'two'])).not.toBe(sourceClass('two', ['one', 'two']));

    expect(sourceClass('web')).toBe(sourceClass('web'));
    expect(new Set(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'web', 'db'].map((name) => sourceClass(name))).size).toBeGreaterThan(1);
    expect(sourceClass('anything')).toMatch(/^log-source-[0-5]$/);
  });
});

describe('engineIsRemote', () => {
  it('counts sockets, pipes and loopback TCP as this machine, other hosts and ssh as remote', () => {
    expect(['unix:///run/berth/docker.sock', 'npipe:////./pipe/berth_engine', 'tcp://127.0.0.1:2375', 'tcp://localhost:2375', 'tcp://[::1]:2375', undefined].map(engineIsRemote))
      .toEqual([false, false, false, false, false, false]);
    expect(['tcp://10.0.0.5:2376', 'tcp://build-box:2375', 'ssh://me@build-box'].map(engineIsRemote)).toEqual([true, true, true]);
  });
});
