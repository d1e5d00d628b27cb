// Errors the backend throws on purpose. They carry `statusCode` like dockerode's errors do, so
// rpc-server.ts's toErrorShape sends the renderer one shape: { message, status }.
export class BackendError extends Error {
  readonly statusCode: number;
  constructor(statusCode: number, message: string) {
    super(message);
    this.name = 'BackendError';
    this.statusCode = statusCode;
  }
}

/** 400: the renderer sent something the backend will not pass on (bad type, bad name, bad path). */
export function badRequest(message: string): BackendError {
  return new BackendError(400, message);
}
