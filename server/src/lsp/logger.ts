/**
 * Logging to the client's output channel (`window/logMessage`), with a level so that routine
 * "ignored this request" notes stay out of the way unless `leakLens.trace.server` asks for them.
 */
import { Connection } from 'vscode-languageserver/node';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
const ORDER: LogLevel[] = ['error', 'warn', 'info', 'debug'];

export class Logger {
  level: LogLevel = 'info';

  constructor(private readonly connection: Connection) {}

  error(message: string, error?: unknown): void {
    const detail = error instanceof Error ? `: ${error.stack ?? error.message}` : error !== undefined ? `: ${String(error)}` : '';
    this.log('error', message + detail);
  }
  warn(message: string): void {
    this.log('warn', message);
  }
  info(message: string): void {
    this.log('info', message);
  }
  debug(message: string): void {
    this.log('debug', message);
  }

  private log(level: LogLevel, message: string): void {
    if (ORDER.indexOf(level) > ORDER.indexOf(this.level)) return;
    const line = `[${level}] ${message}`;
    try {
      if (level === 'error') this.connection.console.error(line);
      else if (level === 'warn') this.connection.console.warn(line);
      else this.connection.console.log(line);
    } catch {
      // The connection may already be gone while shutting down; logging must never throw.
    }
  }
}

/**
 * A value the client sent, as a log line names it: short, and never failing. `JSON.stringify` of
 * settings nested some 10,000 levels deep overflows the stack, and that made every later analysis
 * fail; a string of megabytes would be a log line of megabytes.
 */
export function shownValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}
