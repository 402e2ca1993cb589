/**
 * Where `npm start`'s JSON log lines go: to LOG_FILE (default DATA_DIR/openim-hooks.log), so that
 * the terminal holds only what is for people: the banner, start-up's warnings once, a failure's
 * one line. Powertools' Logger and Metrics write through a Console of their own over
 * process.stdout and process.stderr, so this process's writes to both go to the file, appended
 * line by line (the workers' process appends to the same file); the terminal keeps the originals.
 * LOG_FILE=- leaves the lines on stdout and stderr, as in Lambda.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Terminal {
  /** The log file, or undefined when the lines stay on stdout and stderr. */
  readonly logFile: string | undefined;
  print(text: string): void;
  printError(text: string): void;
  /** The distinct messages of the WARN and ERROR lines logged so far. */
  warnings(): string[];
}

type Write = typeof process.stdout.write;

export function sendLogsTo(logFile: string | undefined): Terminal {
  const terminalOut = process.stdout.write.bind(process.stdout) as (text: string) => boolean;
  const terminalErr = process.stderr.write.bind(process.stderr) as (text: string) => boolean;
  const warnings = new Set<string>();
  const terminal: Terminal = {
    logFile,
    print: (text) => void terminalOut(text),
    printError: (text) => void terminalErr(text),
    warnings: () => [...warnings],
  };
  if (logFile === undefined) return terminal;

  mkdirSync(dirname(logFile), { recursive: true });
  const fd = openSync(logFile, 'a', 0o600);
  process.once('exit', () => closeSync(fd));
  const toFile = ((chunk: string | Uint8Array, encodingOrCallback?: unknown, callback?: unknown) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    writeSync(fd, text);
    for (const message of warningsIn(text)) warnings.add(message);
    const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
    if (typeof done === 'function') (done as () => void)();
    return true;
  }) as Write;
  process.stdout.write = toFile;
  process.stderr.write = toFile;
  return terminal;
}

function warningsIn(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{') && /"level":"(WARN|ERROR|CRITICAL)"/.test(line))
    .flatMap((line) => {
      try {
        const { message } = JSON.parse(line) as { message?: unknown };
        return typeof message === 'string' ? [message] : [];
      } catch {
        return [];
      }
    });
}
