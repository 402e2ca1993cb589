/**
 * Powertools' Logger and Metrics write through a Console of their own on process.stdout/stderr (as
 * Lambda wants), which vitest's console capture never sees, so `silent: 'passed-only'` could not
 * hold their lines back. In the test workers every such write goes through the global console
 * instead: vitest files it under the running test and prints it only when that test fails.
 * (`POWERTOOLS_DEV` would switch Powertools to the global console too, but it also pretty-prints
 * over several lines and turns metrics off, and the processes the tests start would inherit it.)
 */
type Write = (chunk: string | Uint8Array, encodingOrCallback?: BufferEncoding | ((error?: Error | null) => void), callback?: (error?: Error | null) => void) => boolean;

function throughConsole(log: (text: string) => void): Write {
  return (chunk, encodingOrCallback, callback) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    log(text.endsWith('\n') ? text.slice(0, -1) : text);
    (typeof encodingOrCallback === 'function' ? encodingOrCallback : callback)?.();
    return true;
  };
}

// '%s' so that a line holding '%' is printed as written, not read as a format string.
process.stdout.write = throughConsole((text) => console.log('%s', text)) as typeof process.stdout.write;
process.stderr.write = throughConsole((text) => console.error('%s', text)) as typeof process.stderr.write;
