// Errors by meaning, not by HTTP status: the API layer maps them once (DESIGN.md rule 2).

export class EngineError extends Error {
  readonly kind: 'not-found' | 'conflict' | 'invalid' | 'not-modified' | 'forbidden' | 'unavailable' | 'not-implemented' | 'system';
  constructor(kind: EngineError['kind'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
  }
}

export const notFound = (message: string) => new EngineError('not-found', message);
export const conflict = (message: string) => new EngineError('conflict', message);
export const invalid = (message: string) => new EngineError('invalid', message);
export const notModified = (message = '') => new EngineError('not-modified', message);
export const forbidden = (message: string) => new EngineError('forbidden', message);
export const systemError = (message: string, cause?: unknown) => new EngineError('system', message, { cause });

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
