// Parsing of the three ways clients ask for mounts, with dockerd's rules and messages (moby
// volume/mounts/linux_parser.go): `-v src:dst:mode` strings (HostConfig.Binds), `--mount`
// objects (HostConfig.Mounts, API spec "Mount") and `--volumes-from ctr:mode`.
import { posix } from 'node:path';
import type { MountSpec } from '../container-types.ts';
import { invalid } from '../errors.ts';

/** One mount resolved from the request, before volumes are looked up or created. */
export interface ParsedMount {
  Type: 'bind' | 'volume' | 'tmpfs';
  /** Host path (bind). */
  Source: string;
  /** Volume name; '' = anonymous. */
  Name: string;
  Destination: string;
  RW: boolean;
  Mode: string;
  Propagation: string;
  /** Copy the image's content at the destination into the volume when it is empty. */
  CopyData: boolean;
  Driver?: string;
  DriverOptions?: Record<string, string>;
  Labels?: Record<string, string>;
  NonRecursive?: boolean;
  /** `-v /missing:/x` creates the host directory (dockerd does); `--mount` refuses instead. */
  CreateSource: boolean;
  /** tmpfs mount data ("size=1m,mode=755"), from TmpfsOptions. */
  TmpfsData?: string;
}

const RW_MODES = new Set(['rw', 'ro']);
const LABEL_MODES = new Set(['z', 'Z']);
export const PROPAGATION_MODES = new Set(['private', 'rprivate', 'slave', 'rslave', 'shared', 'rshared']);
const CONSISTENCY_MODES = new Set(['consistent', 'cached', 'delegated']);
const DEFAULT_PROPAGATION = 'rprivate';

/** linuxValidMountMode: known words only, at most one of each kind. */
export function validMountMode(mode: string): boolean {
  if (mode === '') return true;
  const counts = [0, 0, 0, 0, 0];
  for (const o of mode.split(',')) {
    const kind = RW_MODES.has(o) ? 0 : LABEL_MODES.has(o) ? 1 : PROPAGATION_MODES.has(o) ? 2 : o === 'nocopy' ? 3 : CONSISTENCY_MODES.has(o) ? 4 : -1;
    if (kind < 0) return false;
    counts[kind]++;
  }
  return counts.every((n) => n <= 1);
}

const modeWords = (mode: string) => mode.split(',');

function mountConfigError(type: string, message: string): Error {
  return invalid(`invalid mount config for type ${JSON.stringify(type)}: ${message}`);
}

/** linuxValidateNotRoot + linuxValidateAbsolute on a target. */
function checkTarget(type: string, target: string): void {
  if (target === '') throw mountConfigError(type, 'field Target must not be empty');
  if (posix.normalize(target) === '/' || posix.normalize(target) === '//') throw mountConfigError(type, 'invalid specification: destination can\'t be \'/\'');
  if (!target.startsWith('/')) throw mountConfigError(type, `invalid mount path: '${target}' mount path must be absolute`);
}

/** Go's path.Clean for absolute paths. */
export function cleanPath(path: string): string {
  const normal = posix.normalize(path);
  return normal.length > 1 ? normal.replace(/\/+$/, '') : normal;
}

/** dockerd's ConvertTmpfsOptions: TmpfsOptions → mount data ("ro,mode=1777,size=64m"). */
export function tmpfsData(options: MountSpec['TmpfsOptions'] | null | undefined, readOnly: boolean): string {
  const out: string[] = readOnly ? ['ro'] : [];
  if (options?.Mode) out.push(`mode=${options.Mode.toString(8)}`);
  if (options?.SizeBytes) {
    let size = options.SizeBytes;
    let suffix = '';
    for (const [s, d] of [['g', 2 ** 30], ['m', 2 ** 20], ['k', 2 ** 10]] as const) {
      if (size % d === 0) {
        size /= d;
        suffix = s;
        break;
      }
    }
    out.push(`size=${size}${suffix}`);
  }
  for (const opt of options?.Options ?? []) {
    if (opt.length < 1 || opt.length > 2) throw new Error('invalid option array length');
    if (opt[0] !== 'exec' && opt[0] !== 'noexec') throw new Error(`invalid option: ${opt[0]}`);
    out.push(opt.join('='));
  }
  return out.join(',');
}

/**
 * A `--mount` object (ParseMountSpec). `sourceExists` answers for bind sources: the only I/O the
 * rules need, passed in so this stays pure.
 */
export function parseMountSpec(spec: MountSpec, sourceExists: (path: string) => boolean): ParsedMount {
  const type = spec.Type;
  checkTarget(type, spec.Target);
  const base = { Destination: cleanPath(spec.Target), RW: !spec.ReadOnly, Mode: '', Source: '', Name: '', Propagation: '', CopyData: false, CreateSource: false };
  switch (type) {
    case 'bind': {
      const source = spec.Source ?? '';
      if (source === '') throw mountConfigError(type, 'field Source must not be empty');
      const propagation = spec.BindOptions?.Propagation ?? '';
      if (propagation && !PROPAGATION_MODES.has(propagation)) throw mountConfigError(type, `invalid propagation mode: ${propagation}`);
      if (spec.VolumeOptions) throw mountConfigError(type, 'field VolumeOptions must not be specified');
      if (!source.startsWith('/')) throw mountConfigError(type, `invalid mount path: '${source}' mount path must be absolute`);
      const create = spec.BindOptions?.CreateMountpoint === true;
      if (!create && !sourceExists(source)) throw mountConfigError(type, `bind source path does not exist: ${source}`);
      return { ...base, Type: 'bind', Source: cleanPath(source), Propagation: propagation || DEFAULT_PROPAGATION, NonRecursive: spec.BindOptions?.NonRecursive, CreateSource: create };
    }
    case 'volume': {
      if (spec.BindOptions) throw mountConfigError(type, 'field BindOptions must not be specified');
      const name = spec.Source ?? '';
      if (spec.VolumeOptions?.Subpath) {
        if (name === '') throw mountConfigError(type, 'must not set Subpath when using anonymous volumes');
        throw mountConfigError(type, 'volume subpaths are not supported by this engine');
      }
      if (spec.ReadOnly && name === '') throw mountConfigError(type, 'must not set ReadOnly mode when using anonymous volumes');
      return {
        ...base, Type: 'volume', Name: name, Mode: 'z', CopyData: !spec.VolumeOptions?.NoCopy,
        Driver: spec.VolumeOptions?.DriverConfig?.Name || undefined,
        DriverOptions: spec.VolumeOptions?.DriverConfig?.Options ?? undefined,
        Labels: spec.VolumeOptions?.Labels ?? undefined,
      };
    }
    case 'tmpfs': {
      if (spec.BindOptions) throw mountConfigError(type, 'field BindOptions must not be specified');
      if (spec.Source) throw mountConfigError(type, 'field Source must not be specified');
      let data: string;
      try {
        data = tmpfsData(spec.TmpfsOptions, !!spec.ReadOnly);
      } catch (error) {
        throw mountConfigError(type, (error as Error).message);
      }
      return { ...base, Type: 'tmpfs', TmpfsData: data };
    }
    default:
      throw mountConfigError(type, 'mount type unknown');
  }
}

/** A `-v` string (ParseMountRaw): "/dst", "src:/dst" or "src:/dst:mode". */
export function parseBind(raw: string): ParsedMount {
  const spec = `invalid volume specification: '${raw}'`;
  const parts = raw.split(':');
  // Go's SplitN(raw, ":", 4): a fourth part keeps the rest, and any fourth part is an error.
  if (parts[0] === '' || parts.length > 3) throw invalid(spec);
  let source = '';
  let target: string;
  let mode = '';
  if (parts.length === 1) target = parts[0];
  else if (parts.length === 2) {
    // "/foo:rw" would be a destination with a mode, which volumes cannot have.
    if (validMountMode(parts[1])) throw invalid(spec);
    [source, target] = parts;
  } else [source, target, mode] = parts;
  if (!validMountMode(mode)) throw invalid(`invalid mode: ${mode}`);
  const words = modeWords(mode);
  const type = source.startsWith('/') ? 'bind' : 'volume';
  try {
    checkTarget(type, target);
  } catch (error) {
    throw invalid(`${spec}: ${(error as Error).message}`);
  }
  const rw = !words.includes('ro');
  const propagation = words.find((w) => PROPAGATION_MODES.has(w)) ?? '';
  const destination = cleanPath(target);
  if (type === 'bind') {
    if (words.includes('nocopy')) throw invalid(`${spec}: invalid mount config for type "bind": field VolumeOptions must not be specified`);
    return { Type: 'bind', Source: cleanPath(source), Name: '', Destination: destination, RW: rw, Mode: mode, Propagation: propagation || DEFAULT_PROPAGATION, CopyData: false, CreateSource: true };
  }
  if (propagation) throw invalid(`${spec}: invalid mount config for type "volume": field BindOptions must not be specified`);
  // Local volumes get the "z" mode when none is given (moby setBindModeIfNull).
  return { Type: 'volume', Source: '', Name: source, Destination: destination, RW: rw, Mode: mode || 'z', Propagation: '', CopyData: !words.includes('nocopy'), CreateSource: false };
}

/** `--volumes-from ctr[:ro|rw]` (ParseVolumesFrom): no propagation or copy modes allowed. */
export function parseVolumesFrom(spec: string): { container: string; rw: boolean } {
  if (spec === '') throw invalid('volumes-from specification cannot be an empty string');
  const colon = spec.indexOf(':');
  const container = colon < 0 ? spec : spec.slice(0, colon);
  const mode = colon < 0 ? '' : spec.slice(colon + 1);
  if (mode !== '') {
    const words = modeWords(mode);
    if (!validMountMode(mode) || words.some((w) => PROPAGATION_MODES.has(w) || w === 'nocopy')) throw invalid(`invalid mode: ${mode}`);
  }
  return { container, rw: !modeWords(mode).includes('ro') };
}
