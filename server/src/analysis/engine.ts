/**
 * The engine's public face: source text in, classified findings out. Both the CLI and the language
 * server call only this module; nothing here knows about either of them.
 *
 * Analysis runs in two phases so that per-file work can be cached and run in parallel:
 *   1. `extractFacts` (one file): parse, find sites, decide what can be decided locally.
 *   2. `classifyWorkspace` (all files): resolve what depends on other files — a `from_raw`
 *      elsewhere, the callers of a function that returns leaked memory — then apply settings.
 */
import { FileError, Finding, compareFindings } from '../../../shared/src/findings';
import { DEFAULT_SETTINGS, LeakLensSettings } from '../../../shared/src/settings';
import { FileFacts, extractFacts, mayContainCrossFileFacts, mayContainSites } from './facts';
import { CallSiteProvider, textCallSiteProvider } from './callers';
import { classifyWorkspace } from './classify';
import { Tree } from '../parsing/parser';
import { Toolchain } from './toolchain';

export { FileFacts, extractFacts, classifyWorkspace, mayContainSites, mayContainCrossFileFacts };
export type { CallSiteProvider };

export interface SourceInput {
  /** Path as it should appear in findings (the CLI uses paths relative to the working directory). */
  path: string;
  text: string;
}

export interface AnalysisResult {
  findings: Finding[];
  errors: FileError[];
}

/** Analyzes a set of files as one workspace. Never throws for a bad file: it becomes an error. */
export function analyzeSources(inputs: SourceInput[], settings: LeakLensSettings = DEFAULT_SETTINGS): AnalysisResult {
  const facts: FileFacts[] = [];
  const errors: FileError[] = [];
  for (const input of inputs) {
    try {
      facts.push(extractFacts(input.path, input.text));
    } catch (e) {
      errors.push({ file: input.path, message: `analysis failed: ${(e as Error).message}` });
    }
  }
  const findings = classifyWorkspace(facts, textCallSiteProvider(inputs), settings);
  return { findings: findings.sort(compareFindings), errors };
}

/** Single-file convenience used by tests and the language server's first pass. */
export function analyzeText(path: string, text: string, settings?: LeakLensSettings, tree?: Tree, toolchain?: Toolchain): Finding[] {
  const facts = extractFacts(path, text, tree, toolchain);
  return classifyWorkspace([facts], textCallSiteProvider([{ path, text }]), settings ?? DEFAULT_SETTINGS).sort(compareFindings);
}
