// Types for the parts of desktop-dist.mjs (plain JavaScript, run by the bootstrap on the system
// Node) that the TypeScript packaging tests call.
export declare const ENGINE_BUNDLE_DIR: string;
export declare const VM_STAGE_DIR: string;
export declare const VM_ARCH_FOR: Record<string, string>;
export declare function stageVmAssets(root: string, targetDir: string, required?: string): string[];
