// `GET /images/json` with dockerd's filters (API spec "ImageList").
import { invalid } from '../../../core/errors.ts';
import type { EngineServices } from '../../../services/engine-services.ts';
import { imageSummary } from '../../presenters/image-json.ts';
import { boolParam, checkFilterKeys, filtersParam, matchesLabels } from '../../query.ts';
import { pathMatchRegExp } from './path-glob.ts';

export async function listImages(s: EngineServices, query: URLSearchParams, version: string): Promise<object[]> {
  const filters = filtersParam(query);
  checkFilterKeys(filters, ['dangling', 'label', 'before', 'since', 'reference', 'until']);
  const images = s.images;
  const dangling = filters.get('dangling')?.[0];
  if (dangling !== undefined && !['true', 'false', '1', '0'].includes(dangling)) throw invalid(`invalid filter 'dangling=${dangling}'`);
  const createdOf = async (ref: string) => {
    const { config } = await images.resolve(ref);
    return Date.parse(config.created ?? '0');
  };
  const before = filters.has('before') ? await createdOf(filters.get('before')![0]) : undefined;
  const since = filters.has('since') ? await createdOf(filters.get('since')![0]) : undefined;
  const references = filters.get('reference');
  // Compiled when first used: dockerd reports a bad pattern only once it matches a name with it.
  const compiled = new Map<string, RegExp>();
  const patternOf = (raw: string) => compiled.get(raw) ?? compiled.set(raw, pathMatchRegExp(raw)).get(raw)!;
  const usage = new Map<string, number>();
  for (const c of s.containers.store.list()) usage.set(c.Image, (usage.get(c.Image) ?? 0) + 1);

  const out: Array<{ created: number; item: object }> = [];
  const parents = new Set(images.store.list().map((r) => r.parent));
  const all = boolParam(query, 'all');
  for (const record of images.store.list()) {
    const config = await images.config(record.id);
    const tags = images.familiarTags(record.id);
    // Build intermediates (untagged images other images were committed on) only show with -a.
    if (!all && tags.length === 0 && record.repoDigests.length === 0 && parents.has(record.id)) continue;
    const created = Date.parse(config.created ?? '0');
    if (dangling !== undefined && (dangling === 'true' || dangling === '1') !== (tags.length === 0)) continue;
    if (!matchesLabels(config.config?.Labels, filters.get('label'))) continue;
    if (before !== undefined && !(created < before)) continue;
    if (since !== undefined && !(created > since)) continue;
    let shownTags = tags;
    let digests = images.familiarDigests(record);
    if (references) {
      // dockerd narrows both lists to the matching names, so the CLI prints only those rows.
      // distribution's FamiliarMatch: the familiar reference ("name:tag", "name@digest"), else
      // its name alone, against each pattern as Go's path.Match reads it.
      const matches = (name: string, bare: string) => references.some((raw) => patternOf(raw).test(name) || patternOf(raw).test(bare));
      shownTags = tags.filter((tag) => matches(tag, tag.replace(/:[^:/]+$/, '')));
      digests = digests.filter((digest) => matches(digest, digest.replace(/@.*$/, '')));
      if (shownTags.length === 0 && digests.length === 0) continue;
    }
    out.push({ created, item: imageSummary(record, config, shownTags, digests, usage.get(record.id) ?? 0, version) });
  }
  return out.sort((a, b) => b.created - a.created).map((entry) => entry.item);
}
