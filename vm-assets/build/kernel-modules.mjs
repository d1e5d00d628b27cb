// Which kernel modules the guest carries, and in what order to load them. depmod (kmod, on the
// build host) indexes the unpacked modules of either arch: it reads ELF files, it runs nothing.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

export function depmod(baseDir, version) {
  const result = spawnSync('depmod', ['-b', baseDir, version], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`depmod failed: ${result.stderr}`);
}

const nameOf = (path) => basename(path).replace(/\.ko(\.\w+)?$/, '').replace(/-/g, '_');

/** modules.dep: "kernel/fs/ext4/ext4.ko: kernel/lib/crc16.ko …" → name → { path, deps }. */
export function readModulesDep(moduleDir) {
  const modules = new Map();
  for (const line of readFileSync(join(moduleDir, 'modules.dep'), 'utf8').split('\n')) {
    const [path, rest] = line.split(':');
    if (!path || rest === undefined) continue;
    modules.set(nameOf(path), { path, deps: rest.trim().split(/\s+/).filter(Boolean).map(nameOf) });
  }
  return modules;
}

/** Modules built into the kernel need no loading (modules.builtin lists their paths). */
export function builtinNames(moduleDir) {
  return new Set(readFileSync(join(moduleDir, 'modules.builtin'), 'utf8').split('\n').filter(Boolean).map(nameOf));
}

/** The named modules and everything they depend on, dependencies first (insmod order). */
export function loadOrder(modules, builtin, names) {
  const order = [];
  const seen = new Set();
  const visit = (raw) => {
    const name = raw.replace(/-/g, '_');
    if (seen.has(name) || builtin.has(name)) return;
    seen.add(name);
    const module = modules.get(name);
    if (!module) throw new Error(`kernel module ${name} is neither a module nor built in`);
    for (const dep of module.deps) visit(dep);
    order.push({ name, path: module.path });
  };
  names.forEach(visit);
  return order;
}

/** Every module under one of the directory prefixes, plus the named ones, with dependencies. */
export function selectModules(modules, builtin, { dirs, names }) {
  const picked = [...modules.values()].filter((m) => dirs.some((d) => m.path.startsWith(d))).map((m) => nameOf(m.path));
  return loadOrder(modules, builtin, [...new Set([...names, ...picked])].sort());
}
