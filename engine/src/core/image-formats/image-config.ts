// The image config blob (OCI image-spec config.md; Docker's image JSON, whose `config` field OCI
// adopted), parsed once where it enters the engine (pull, load, the content store) into
// ImageConfig. Real images carry `null` in any optional field — Debian's dockerd writes
// `"Env": null`, `"Cmd": null`, `"Volumes": null`… for `docker import`, and `"Env": ["A=1", null]`
// decodes in Go as ["A=1", ""] — so every optional field takes absent, null and empty alike, and
// nothing downstream ever sees a null where the type says otherwise. What dockerd's decoder would
// refuse (a wrong type) is refused here too, with the field named, at pull/load time.
import * as v from 'valibot';
import { invalid } from '../errors.ts';
import type { HealthConfig, HistoryEntry, ImageConfig, ImageRunConfig } from '../oci-types.ts';
import { compact, goBool, goInt, goKeySet, goObject, goStringMap, goStrings, goText, maybe, parseDocument, parseJsonText, strSlice } from './go-json.ts';

const healthcheck = goObject({
  Test: goStrings,
  Interval: goInt,
  Timeout: goInt,
  StartPeriod: goInt,
  StartInterval: goInt,
  Retries: goInt,
});

const runConfig = goObject({
  User: goText,
  ExposedPorts: goKeySet,
  Env: goStrings,
  Entrypoint: strSlice,
  Cmd: strSlice,
  Volumes: goKeySet,
  WorkingDir: goText,
  Labels: goStringMap,
  StopSignal: goText,
  Healthcheck: maybe(healthcheck),
  OnBuild: goStrings,
  Shell: goStrings,
  ArgsEscaped: goBool,
});

const historyEntry = goObject({
  created: goText,
  created_by: goText,
  author: goText,
  comment: goText,
  empty_layer: goBool,
});

const DIFF_ID = /^sha256:[a-f0-9]{64}$/;

const rootfs = goObject({
  type: goText,
  diff_ids: maybe(v.array(v.pipe(v.string(), v.regex(DIFF_ID, 'expected a sha256 diff ID')))),
});

const imageConfig = goObject({
  architecture: goText,
  os: goText,
  variant: goText,
  'os.version': goText,
  created: goText,
  author: goText,
  config: maybe(runConfig),
  container_config: maybe(runConfig),
  // Required by the spec and by dockerd ("invalid image JSON, no RootFS key"): without it there
  // is no way to know the layers.
  rootfs: v.nullish(rootfs),
  history: maybe(v.array(v.nullable(historyEntry))),
  docker_version: goText,
  comment: goText,
});

type Parsed<S extends v.GenericSchema> = NonNullable<v.InferOutput<S>>;

function toHealth(h: Parsed<typeof healthcheck>): HealthConfig {
  return compact({ ...h });
}

function toRunConfig(c: Parsed<typeof runConfig>): ImageRunConfig {
  return compact({ ...c, Healthcheck: c.Healthcheck ? toHealth(c.Healthcheck) : undefined });
}

function toHistory(entry: Parsed<typeof historyEntry> | null): HistoryEntry {
  return entry ? compact({ ...entry }) : {};
}

/** A config already decoded from JSON → ImageConfig (see the header for what is accepted). */
export function toImageConfig(value: unknown, what = 'image config'): ImageConfig {
  const doc = parseDocument(imageConfig, value, what);
  if (!doc.rootfs) throw invalid(`invalid ${what}: rootfs: missing (every image config lists its layers there)`);
  const created = doc.created !== undefined && Number.isFinite(Date.parse(doc.created)) ? doc.created : undefined;
  return compact({
    architecture: doc.architecture ?? '',
    os: doc.os ?? '',
    variant: doc.variant,
    'os.version': doc['os.version'],
    created,
    author: doc.author,
    config: doc.config ? toRunConfig(doc.config) : undefined,
    container_config: doc.container_config ? toRunConfig(doc.container_config) : undefined,
    rootfs: { type: 'layers', diff_ids: doc.rootfs.diff_ids ?? [] },
    history: doc.history?.map(toHistory),
    docker_version: doc.docker_version,
    comment: doc.comment,
  });
}

/** The config blob's bytes → ImageConfig. */
export function parseImageConfig(bytes: Uint8Array, what = 'image config'): ImageConfig {
  return toImageConfig(parseJsonText(bytes, what), what);
}
