// Instructions that only change the image config (moby builder/dockerfile/dispatchers.go): each
// updates the stage's run config and returns the history comment the classic builder records
// (`/bin/sh -c #(nop)  CMD ["sh"]`), which is also the step's cache key.
import type { HealthConfig } from '../../core/oci-types.ts';
import { declareArg, expansionEnv, type BuildRun, type Stage } from './build-run.ts';
import { parseError, parseTrigger, type ParsedInstruction } from './dockerfile-parse.ts';
import { expandWord, expandWords, parseKeyValues, splitWords } from './expand.ts';

export const DEFAULT_SHELL = ['/bin/sh', '-c'];

/** Go's %q of a []string, as dockerd formats CMD/ENTRYPOINT in history. */
const goStrings = (list: readonly string[]) => `[${list.map((s) => JSON.stringify(s)).join(' ')}]`;

export function shellOf(stage: Stage): string[] {
  return stage.runConfig.Shell?.length ? stage.runConfig.Shell : DEFAULT_SHELL;
}

/** Shell form → [...SHELL, text]; JSON form as written. */
export function commandOf(stage: Stage, ins: ParsedInstruction): string[] {
  return ins.json ?? [...shellOf(stage), ins.args];
}

function parseDuration(text: string, line: number, flag: string): number {
  if (text === '') return 0;
  const unit: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  let total = 0;
  let rest = text;
  while (rest !== '') {
    const match = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/.exec(rest);
    if (!match) throw parseError(line, `time: invalid duration "${text}" for --${flag}`);
    total += Number(match[1]) * unit[match[2]];
    rest = rest.slice(match[0].length);
  }
  return Math.round(total);
}

function healthcheck(stage: Stage, ins: ParsedInstruction): HealthConfig {
  const words = splitWords(ins.args);
  const kind = (words[0] ?? '').toUpperCase();
  if (kind === 'NONE') {
    if (words.length > 1) throw parseError(ins.line, 'HEALTHCHECK NONE takes no arguments');
    return { Test: ['NONE'] };
  }
  if (kind !== 'CMD') throw parseError(ins.line, `Unknown type "${words[0] ?? ''}" in HEALTHCHECK (try CMD)`);
  const rest = ins.args.trim().slice(3).trim();
  const json = ins.json ? undefined : parseJson(rest);
  const test = json ? ['CMD', ...json] : ['CMD-SHELL', rest];
  const retries = ins.flags.get('retries');
  return {
    Test: test,
    Interval: parseDuration(ins.flags.get('interval') ?? '', ins.line, 'interval'),
    Timeout: parseDuration(ins.flags.get('timeout') ?? '', ins.line, 'timeout'),
    StartPeriod: parseDuration(ins.flags.get('start-period') ?? '', ins.line, 'start-period'),
    StartInterval: parseDuration(ins.flags.get('start-interval') ?? '', ins.line, 'start-interval'),
    Retries: retries ? Number(retries) : 0,
  };
}

function parseJson(text: string): string[] | undefined {
  if (!text.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
  } catch {
    return undefined;
  }
}

function setEnv(stage: Stage, key: string, value: string): void {
  const env = (stage.runConfig.Env ?? []).filter((e) => e.slice(0, e.indexOf('=') < 0 ? e.length : e.indexOf('=')) !== key);
  env.push(`${key}=${value}`);
  stage.runConfig.Env = env;
}

/** Applies a metadata instruction; returns its history comment (without the shell prefix). */
export function applyMeta(run: BuildRun, stage: Stage, ins: ParsedInstruction): string {
  const c = stage.runConfig;
  const env = expansionEnv(stage);
  const words = () => (ins.json ? ins.json.map((w) => expandWord(w, env, run.escape)) : expandWords(ins.args, env, run.escape));
  const need = (list: string[], what: string) => {
    if (list.length === 0) throw parseError(ins.line, `${ins.keyword} requires at least one argument${what}`);
    return list;
  };
  switch (ins.keyword) {
    case 'ENV': {
      const pairs = parseKeyValues(ins.args, env, run.escape, true);
      if (pairs.length === 0) throw parseError(ins.line, 'ENV requires at least one argument');
      for (const [k, v] of pairs) setEnv(stage, k, v);
      return `ENV ${pairs.map(([k, v]) => `${k}=${v}`).join(' ')}`;
    }
    case 'LABEL': {
      const pairs = parseKeyValues(ins.args, env, run.escape, false);
      if (pairs.length === 0) throw parseError(ins.line, 'LABEL requires at least one argument');
      c.Labels = { ...(c.Labels ?? {}), ...Object.fromEntries(pairs) };
      return `LABEL ${pairs.map(([k, v]) => `${k}=${v}`).join(' ')}`;
    }
    case 'MAINTAINER': {
      stage.image = { ...stage.image, config: { ...stage.image.config, author: ins.args } };
      return `MAINTAINER ${ins.args}`;
    }
    case 'WORKDIR': {
      const dir = need(words(), '')[0];
      const base = c.WorkingDir || '/';
      c.WorkingDir = dir.startsWith('/') ? normalize(dir) : normalize(`${base}/${dir}`);
      return `WORKDIR ${c.WorkingDir}`;
    }
    case 'USER':
      c.User = need(words(), '')[0];
      return `USER ${c.User}`;
    case 'EXPOSE': {
      const ports = { ...(c.ExposedPorts ?? {}) };
      for (const port of need(words(), '')) ports[port.includes('/') ? port.toLowerCase() : `${port}/tcp`] = {};
      c.ExposedPorts = ports;
      return `EXPOSE map[${Object.keys(ports).sort().map((p) => `${p}:{}`).join(' ')}]`;
    }
    case 'VOLUME': {
      const volumes = need(words(), '').filter((v) => v.trim() !== '');
      c.Volumes = { ...(c.Volumes ?? {}), ...Object.fromEntries(volumes.map((v) => [v, {}])) };
      return `VOLUME [${volumes.join(' ')}]`;
    }
    case 'CMD':
      c.Cmd = commandOf(stage, ins);
      stage.cmdSet = true;
      return `CMD ${goStrings(c.Cmd)}`;
    case 'ENTRYPOINT':
      c.Entrypoint = ins.args.trim() === '' ? null : commandOf(stage, ins);
      // dockerd: an ENTRYPOINT resets the base image's CMD unless this stage set one.
      if (!stage.cmdSet) c.Cmd = null;
      return `ENTRYPOINT ${goStrings(c.Entrypoint ?? [])}`;
    case 'SHELL':
      if (!ins.json || ins.json.length === 0) throw parseError(ins.line, 'SHELL requires the arguments to be in JSON form');
      c.Shell = ins.json;
      return `SHELL ${goStrings(ins.json)}`;
    case 'STOPSIGNAL':
      c.StopSignal = need(words(), '')[0];
      return `STOPSIGNAL ${c.StopSignal}`;
    case 'HEALTHCHECK':
      c.Healthcheck = healthcheck(stage, ins);
      return `HEALTHCHECK ${JSON.stringify(c.Healthcheck)}`;
    case 'ONBUILD': {
      const trigger = parseTrigger(ins.args, ins.line, run.escape);
      c.OnBuild = [...(c.OnBuild ?? []), trigger.original];
      return `ONBUILD ${trigger.original}`;
    }
    case 'ARG': {
      const described: string[] = [];
      for (const word of splitWords(ins.args, run.escape)) {
        const eq = word.indexOf('=');
        const name = eq < 0 ? word : word.slice(0, eq);
        const fallback = eq < 0 ? undefined : expandWord(word.slice(eq + 1), env, run.escape);
        declareArg(run, stage.args, name, fallback, run.metaArgs);
        described.push(stage.args.has(name) ? `${name}=${stage.args.get(name)}` : name);
      }
      if (described.length === 0) throw parseError(ins.line, 'ARG requires at least one argument');
      return `ARG ${described.join(' ')}`;
    }
    default:
      throw parseError(ins.line, `unknown instruction: ${ins.keyword}`);
  }
}

function normalize(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}
