/**
 * Writes the before-callbacks' answers at the end of the event loop's turn in which requests were
 * read, together, instead of each as its handler finishes. Every answer is a `write` to a loopback
 * socket that wakes the client's thread; answered one by one between requests, each write found the
 * client asleep and paid for waking it on another core (on this project's 2-core VM a bare server's
 * write took ~20 µs when its client was busy and ~52 µs once a 60 µs handler made it wait,
 * docs/benchmarks-history.md). Written back to back, the first wakes the client and the rest find it
 * running. An answer that comes once the turn's reading is over (after the journal's write of the
 * turn, or a store's reply) is written at once: holding it would only make it wait a whole turn.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import type { ServerResponse } from 'node:http';
import { logger } from '#shared/observability/logger.ts';
import { writeResult } from './apigw-adapter.ts';

const held: { readonly res: ServerResponse; readonly result: APIGatewayProxyResult }[] = [];
let readingRequests = false;

/** Called as a request arrives: answers are held until this turn's reading is over. */
export function noteRequestArrived(): void {
  if (readingRequests) return;
  readingRequests = true;
  setImmediate(writeHeld);
}

export function writeAtEndOfTurn(res: ServerResponse, result: APIGatewayProxyResult): void {
  if (readingRequests) held.push({ res, result });
  else writeOrClose(res, result);
}

function writeHeld(): void {
  readingRequests = false;
  for (const { res, result } of held.splice(0)) writeOrClose(res, result);
}

function writeOrClose(res: ServerResponse, result: APIGatewayProxyResult): void {
  try {
    writeResult(res, result);
  } catch (error) {
    // One answer that cannot be written (its socket gone mid-write) must not keep the others back.
    logger.warn('an answer could not be written; its connection is closed', { error: error as Error });
    res.destroy(error as Error);
  }
}
