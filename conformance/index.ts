// The package's programmatic surface: config files import `defineConfig` from here, and
// CI scripts can call the engine directly instead of the CLI.
export { defineConfig } from './config/schema.ts';
export type { ConformanceConfig, TargetConfig, UrlTargetConfig } from './config/schema.ts';
export { runConformance, type RunOptions } from './engine.ts';
export { exitCodeOf, type RunResult } from './result.ts';
export { startEmbeddedTarget } from './targets/embedded.ts';
export type { Target } from './targets/target.ts';
export { predict, generatePaths, profilePolicy, resolvePolicy } from '../model/index.ts';
export type { Facts, Policy, PolicyInput, Prediction } from '../model/index.ts';
