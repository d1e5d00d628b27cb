// Registry error responses → engine errors with the wording Docker prints. The body is the
// distribution spec's `{"errors":[{"code","message","detail"}]}`; Docker renders each entry as
// "<code lowercased, _ as space>: <message>" (distribution registry/api/errcode).
import { EngineError, systemError } from '../../../core/errors.ts';

export class RegistryError extends EngineError {
  readonly status: number;
  constructor(kind: EngineError['kind'], status: number, message: string) {
    super(kind, message);
    this.status = status;
  }
}

const FALLBACK_TEXT: Record<number, string> = {
  401: 'unauthorized: authentication required',
  403: 'denied: requested access to the resource is denied',
};

/** Reads the error body (bounded) and renders it as Docker does; empty when there is none. */
export async function registryErrorText(res: Response): Promise<string> {
  let text = '';
  try {
    text = (await res.text()).slice(0, 64 * 1024);
  } catch {
    return '';
  }
  try {
    const body = JSON.parse(text) as { errors?: Array<{ code?: string; message?: string }> };
    if (Array.isArray(body.errors) && body.errors.length > 0) {
      return body.errors
        .map((e) => `${(e.code ?? 'unknown').toLowerCase().replace(/_/g, ' ')}: ${e.message ?? ''}`.trim())
        .join(', ');
    }
  } catch {
    // Not JSON: some proxies answer with HTML; the status line says enough then.
  }
  return '';
}

function statusLine(res: Response): string {
  return `received unexpected HTTP status: ${res.status} ${res.statusText}`.trim();
}

/** Error for a failed manifest GET. `name` is the familiar reference (`busybox:latest`). */
export async function manifestError(res: Response, name: string, repository: string): Promise<RegistryError> {
  const text = await registryErrorText(res);
  if (res.status === 404) {
    return new RegistryError('not-found', 404, `manifest for ${name} not found: ${text || 'manifest unknown: manifest unknown'}`);
  }
  if (res.status === 401 || res.status === 403) {
    return new RegistryError(
      'forbidden',
      res.status,
      `pull access denied for ${repository}, repository does not exist or may require 'docker login': ${text || FALLBACK_TEXT[res.status]}`,
    );
  }
  return genericError(res, text, `failed to resolve reference ${name}`);
}

export async function blobError(res: Response, digest: string): Promise<RegistryError> {
  const text = await registryErrorText(res);
  if (res.status === 404) return new RegistryError('not-found', 404, `failed to fetch blob ${digest}: ${text || 'blob unknown: blob unknown to registry'}`);
  if (res.status === 401 || res.status === 403) {
    return new RegistryError('forbidden', res.status, `failed to fetch blob ${digest}: ${text || FALLBACK_TEXT[res.status]}`);
  }
  return genericError(res, text, `failed to fetch blob ${digest}`);
}

function genericError(res: Response, text: string, context: string): RegistryError {
  const detail = text ? `${statusLine(res)}: ${text}` : statusLine(res);
  if (res.status >= 500) {
    const kind = res.status === 502 || res.status === 503 || res.status === 504 ? 'unavailable' : 'system';
    return new RegistryError(kind, res.status, `${context}: ${detail}`);
  }
  return new RegistryError('invalid', res.status, `${context}: ${detail}`);
}

/** Transport failures (DNS, refused, TLS) with the endpoint named, as Docker does. */
export function transportError(url: string, error: unknown): Error {
  if (error instanceof EngineError) return error;
  if ((error as Error)?.name === 'AbortError') return error as Error;
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  // undici wraps the socket error in `cause`; node:http raises it directly.
  const reason = cause?.code ?? (error as { code?: string })?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
  return systemError(`Get "${url}": ${reason}`, error);
}
