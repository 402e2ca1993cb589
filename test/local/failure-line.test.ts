import { describe, expect, it } from 'vitest';
import { InvalidConfigError } from '#shared/config/errors.ts';
import { DataDirInUseError } from '../../local/data-dir-lock.ts';
import { failureLine, reportFailure } from '../../local/failure-line.ts';

const errno = (code: string, fields: Record<string, unknown> = {}) => Object.assign(new Error(`${code} raw`), { code, ...fields });

describe('Function: failureLine', () => {
  it.each([
    { case: 'a bad setting', error: new InvalidConfigError('PORT: too big'), line: /^invalid configuration: PORT: too big$/ },
    { case: 'a DATA_DIR in use', error: new DataDirInUseError('/d', 42), line: /DATA_DIR \/d is in use .*pid 42.*another DATA_DIR/ },
    { case: 'a busy port', error: errno('EADDRINUSE', { address: '127.0.0.1', port: 8080 }), line: /^port 8080 on 127\.0\.0\.1 is in use .*set PORT/ },
    { case: 'a privileged port', error: errno('EACCES', { syscall: 'listen', port: 80 }), line: /^port 80 needs privileges.*1024/ },
    { case: 'a missing file', error: errno('ENOENT', { path: '/x.json' }), line: /^\/x\.json does not exist/ },
    { case: 'a bad URL', error: errno('ERR_INVALID_URL', { input: 'nope' }), line: /^nope is not a URL/ },
    { case: 'a file that is not JSON', error: new SyntaxError('Unexpected end of JSON input'), line: /^not JSON: Unexpected end of JSON input$/ },
    { case: 'a module that does not load', error: new SyntaxError("The requested module 'x' does not provide an export named 'y'"), line: /^unexpected error: The requested module/ },
    { case: 'anything else', error: new Error('boom\n  more'), line: /^unexpected error: boom \(run again with DEBUG=1/ },
  ])('says what is wrong and what to do on one line for $case', ({ error, line }) => {
    // Act
    const text = failureLine(error);

    // Assess
    expect(text).toMatch(line);
    expect(text).not.toContain('\n');
  });
});

describe('Function: reportFailure', () => {
  it('prints the stack only when DEBUG is set', () => {
    // Prepare
    const printed: string[] = [];
    const error = new Error('boom');

    // Act
    delete process.env.DEBUG;
    reportFailure('cli', error, (text) => printed.push(text));
    const quiet = printed.splice(0);
    process.env.DEBUG = '1';
    reportFailure('cli', error, (text) => printed.push(text));
    delete process.env.DEBUG;

    // Assess
    expect(quiet).toEqual(['cli: unexpected error: boom (run again with DEBUG=1 for the stack trace)\n']);
    expect(printed.join('')).toContain('    at ');
  });
});
