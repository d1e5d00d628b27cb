// Public surface of the OCI spec builder: buildSpec for a container's config.json, buildExecProcess
// for `docker exec`, resolveUser for Config.User / ExecConfig.User, specToJson to write it.
export { buildSpec, OCI_VERSION, type BuildSpecInput } from './spec.ts';
export { buildExecProcess, type BuildExecInput } from './exec.ts';
export { resolveUser } from './user.ts';
export { specToJson, DEFAULT_PATH } from './process-env.ts';
export { probeHost } from './host.ts';
export { listHostDevices } from './devices.ts';
export { DEFAULT_CAPABILITIES, capabilityMask } from './capabilities.ts';
export type * from './types.ts';
