/**
 * Writes the before-callbacks' answers at the end of the event loop's turn, together, instead of
 * each as its handler finishes. Every answer is a `write` to a loopback socket that wakes the client's
 * thread; answered one by one between requests, each write found the client asleep and paid for
 * waking it on another core (on this project's 2-core VM a bare server's write took ~20 µs when
 * its client was busy and ~52 µs once a 60 µs handler made it wait, docs/benchmarks.md). Written
 * back to back, the first wakes the client and the rest find it running. An answer waits at most
 * for the rest of the turn's requests to be handled.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import type { ServerResponse } from 'node:http';
import { logger } from '#shared/observability/logger.ts';
import { writeResult } from './apigw-adapter.ts';

const pending: { readonly res: ServerResponse; readonly result: APIGatewayProxyResult }[] = [];

export function writeAtEndOfTurn(res: ServerResponse, result: APIGatewayProxyResult): void {
  if (pending.push({ res, result }) === 1) setImmediate(writePending);
}

function writePending(): void {
  for (const { res, result } of pending.splice(0)) {
    try {
      writeResult(res, result);
    } catch (error) {
      // One answer that cannot be written (its socket gone mid-write) must not keep the others back.
      logger.warn('an answer could not be written; its connection is closed', { error: error as Error });
      res.destroy(error as Error);
    }
  }
}
