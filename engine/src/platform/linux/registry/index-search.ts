// A registry index's v1 search (GET /v1/search?q=&n=), reached as dockerd reaches it: the endpoint
// is checked with /v1/_ping over HTTPS first and, for an insecure registry, over HTTP after (any
// answer will do: a v2-only registry answers 404 and is still "there"); a search answer other
// than 200 is "Unexpected status code N" (registry/session.go SearchRepositories).
import { invalid, systemError } from '../../../core/errors.ts';
import type { IndexSearch, SearchResult } from '../../../services/images/search-images.ts';
import { bodyText, httpGet } from '../http-get.ts';

async function ping(base: string): Promise<void> {
  const res = await httpGet(new URL(`${base}_ping`));
  res.resume();
}

function asResults(body: unknown): SearchResult[] {
  const results = (body as { results?: unknown } | null)?.results;
  if (!Array.isArray(results)) return [];
  return results.map((r: Record<string, unknown>) => ({
    star_count: typeof r.star_count === 'number' ? r.star_count : 0,
    is_official: r.is_official === true,
    name: typeof r.name === 'string' ? r.name : '',
    is_automated: r.is_automated === true || r.is_trusted === true,
    description: typeof r.description === 'string' ? r.description : '',
  }));
}

export class RegistryIndexSearch implements IndexSearch {
  readonly #isInsecure: (host: string) => boolean;

  constructor(isInsecure: (host: string) => boolean) {
    this.#isInsecure = isInsecure;
  }

  /** The v1 base URL that answers, HTTPS before HTTP. */
  async #endpoint(host: string): Promise<string> {
    const secure = `https://${host}/v1/`;
    try {
      await ping(secure);
      return secure;
    } catch (httpsError) {
      if (!this.#isInsecure(host)) {
        throw invalid(`invalid registry endpoint ${secure}: ${(httpsError as Error).message}. If this private registry supports only HTTP or HTTPS with an unknown CA certificate, please add \`--insecure-registry ${host}\` to the daemon's arguments.`);
      }
      const plain = `http://${host}/v1/`;
      try {
        await ping(plain);
        return plain;
      } catch (httpError) {
        throw invalid(`invalid registry endpoint "${plain}". HTTPS attempt: ${(httpsError as Error).message}. HTTP attempt: ${(httpError as Error).message}`);
      }
    }
  }

  async search(host: string, query: string, limit: number): Promise<SearchResult[]> {
    const base = await this.#endpoint(host);
    const res = await httpGet(new URL(`${base}search?q=${encodeURIComponent(query)}&n=${limit}`));
    const text = await bodyText(res, 16 * 1024 * 1024);
    if (res.statusCode !== 200) throw systemError(`Unexpected status code ${res.statusCode}`);
    try {
      return asResults(JSON.parse(text));
    } catch {
      throw systemError(`invalid search answer from ${host}: not JSON`);
    }
  }
}
