// `manifest.json` of a `docker save` archive (moby image/tarexport: [{Config, RepoTags, Layers}],
// plus fields we ignore such as Parent and LayerSources). Written by dockerd, podman, skopeo and
// others, each with their own habits: RepoTags may be null or absent (an untagged save), Layers
// null for an image with no layers.
import * as v from 'valibot';
import { goObject, goStrings, maybe, parseDocument } from './go-json.ts';

export interface DockerSaveEntry {
  /** Archive-relative path of the config blob. */
  config: string;
  repoTags: string[];
  /** Archive-relative paths of the layer tars, bottom first. */
  layers: string[];
}

const entry = goObject({
  Config: v.pipe(v.string('expected the path of the config'), v.minLength(1, 'expected the path of the config')),
  RepoTags: goStrings,
  Layers: maybe(v.array(v.string())),
});

const manifestJson = v.array(entry, 'expected a list of images');

export function toDockerSaveManifest(value: unknown): DockerSaveEntry[] {
  return parseDocument(manifestJson, value, 'archive: manifest.json').map((item) => ({
    config: item.Config,
    // Go decodes a null tag as ""; dockerd then fails on it as a reference, as load does here.
    repoTags: item.RepoTags ?? [],
    layers: item.Layers ?? [],
  }));
}
