/**
 * How `npm start`, `npm run invoke` and `npm run doctor` (and any other CLI here) end on a failure a person must act on:
 * one line on stderr saying what is wrong and what to do, exit code 1, no stack trace. DEBUG=1
 * adds the stack, for a failure the line does not explain.
 */
import { InvalidConfigError } from '#shared/config/errors.ts';
import { DataDirInUseError } from './data-dir-lock.ts';

/** What went wrong and what to do, in one line. */
export function failureLine(error: unknown): string {
  // Both name what is wrong and what to do.
  if (error instanceof InvalidConfigError || error instanceof DataDirInUseError) return error.message;
  const { code, address, port, syscall, path } = error as NodeJS.ErrnoException & { address?: string; port?: number };
  if (code === 'EADDRINUSE') return `port ${port} on ${address} is in use by another program: stop it, or set PORT to another port (PORT=0 takes any free one)`;
  if (code === 'EADDRNOTAVAIL') return `HOST ${address} is not an address of this machine: set HOST to one that is (127.0.0.1, or 0.0.0.0 for all)`;
  if (code === 'EACCES' && syscall === 'listen') return `port ${port} needs privileges this user lacks: set PORT to 1024 or above`;
  if (code === 'EACCES' || code === 'EROFS') return `cannot write ${path ?? 'a file'}: give this user write access or set DATA_DIR to a writable directory`;
  if (code === 'ERR_INVALID_URL') return `${(error as { input?: string }).input ?? 'a URL given'} is not a URL: write it as http://host:port/...`;
  if (code === 'ENOENT') return `${path ?? 'a file'} does not exist: check the path`;
  if (code?.startsWith('ERR_PARSE_ARGS')) return `${(error as Error).message} (the usage is at the top of the script and in the README)`;
  // JSON.parse's, not a module's (a SyntaxError at import is a bug, reported as unexpected).
  if (error instanceof SyntaxError && /JSON/.test(error.message)) return `not JSON: ${error.message}`;
  if (code === 'ENOSPC') return `the disk holding ${path ?? 'DATA_DIR'} is full: free some space or set DATA_DIR elsewhere`;
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return `unexpected error: ${message} (run again with DEBUG=1 for the stack trace)`;
}

/** Prints the failure's one line (and, with DEBUG set, its stack) to `write`, by default stderr. */
export function reportFailure(program: string, error: unknown, write: (text: string) => void = (text) => void process.stderr.write(text)): void {
  write(`${program}: ${failureLine(error)}\n`);
  if (isDebug() && error instanceof Error && error.stack) write(`${error.stack}\n`);
}

function isDebug(): boolean {
  const debug = process.env.DEBUG;
  return debug !== undefined && debug !== '' && debug !== '0' && debug !== 'false';
}
