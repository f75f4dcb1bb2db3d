/** Everything the CLI and the language server need to turn a workspace into analysis inputs. */
export { CONFIG_FILE_NAME, FAIL_ON_VALUES, findConfig, isFailOn, loadConfig, loadConfigFile, parseConfig } from './config-file';
export type { FailOn, LoadedConfig } from './config-file';
export { compileExclude, usableExcludes } from './exclude';
export type { ExcludeMatcher } from './exclude';
export { discoverFiles } from './discover';
export type { DiscoverOptions, Discovery } from './discover';
export { DEFAULT_MAX_FILE_SIZE, formatSize, readSource } from './read-source';
export type { ReadResult } from './read-source';
