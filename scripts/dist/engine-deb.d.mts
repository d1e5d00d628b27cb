// Types for engine-deb.mjs (plain JavaScript, run by the bootstrap on the system Node), so the
// TypeScript package test can call it.
export declare const DEB_MAINTAINER: string;
export declare const DEB_DEPENDS: string[];
export declare function buildEngineDeb(options: { root: string; node: string; log: (message: string) => void }): { path: string; rebuilt: boolean };
