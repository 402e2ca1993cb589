/**
 * What `npm start` prints for people: the banner and start-up's warnings once, with the JSON log
 * lines of the server and its workers' process in LOG_FILE (by default under DATA_DIR).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type RunningServer } from '../helpers/local-server.ts';

describe('npm start: output', () => {
  let server: RunningServer;

  beforeAll(async () => {
    // No LOG_FILE: the default, as a person runs it (the helper otherwise keeps the lines on stdout).
    server = await startLocalServer({ LOG_FILE: undefined, OPENIM_API_URL: undefined });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('prints no JSON log line on the terminal, and each start-up warning once', () => {
    // Assess
    expect(server.output.filter((line) => line.startsWith('{'))).toEqual([]);
    const warning = 'OpenIM admin access is off: OPENIM_API_URL is not set';
    expect(server.output.filter((line) => line.includes(warning))).toEqual([`  ${warning}`]);
    expect(server.output).toContain(`Log (JSON lines): ${join(server.dataDir, 'openim-hooks.log')}`);
  });

  it("writes the server's and the workers' process's JSON lines to the log file", () => {
    // Act
    const lines = readFileSync(join(server.dataDir, 'openim-hooks.log'), 'utf8')
      .split('\n')
      // Other writes of the processes (an SDK's plain warning) land there too, and metrics (EMF lines, without a message).
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { message?: string; pid?: number });

    // Assess
    expect(lines.find((line) => line.message === "workers' process ready")?.pid).toEqual(expect.any(Number));
    expect(lines.filter((line) => line.message?.startsWith('OpenIM admin access is off')).length).toBeGreaterThanOrEqual(1);
  });
});
