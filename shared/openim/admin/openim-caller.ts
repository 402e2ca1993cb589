/**
 * One POST to OpenIM's REST API (core or chat) the way its gin routers expect it: JSON body,
 * `operationID` header (GinParseOperationID refuses a POST without one), `token` header for
 * everything but the token endpoints. Every answer is HTTP 200 with the envelope
 * `{errCode, errMsg, errDlt, data?}` (openimsdk/tools apiresp); errCode 0 is success.
 *
 * Retries use exponential backoff and the same operationID, so OpenIM's logs tie the attempts
 * together. A request that never left (connection refused, no such host) is always retried. One
 * that may have reached OpenIM (timeout, reset) is retried only for reads; for a change it throws
 * OpenImOutcomeUnknownError, so the caller reads the state before sending it again. An answer,
 * whatever its errCode, is never retried here.
 */
import { randomUUID } from 'node:crypto';
import { OpenImOutcomeUnknownError, OpenImProtocolError, OpenImUnreachableError } from './errors.ts';

export interface OpenImAnswer {
  readonly path: string;
  readonly operationID: string;
  readonly errCode: number;
  readonly errMsg: string;
  readonly errDlt: string;
  readonly data?: unknown;
}

export interface OpenImCallerOptions {
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  /** First retry delay; doubled per attempt. @default 100 */
  readonly backoffMs?: number;
  readonly fetch?: typeof globalThis.fetch;
}

export interface PostOptions {
  /** The call changes state: after a timeout or reset it is not sent again. @default false */
  readonly changesState?: boolean;
}

/** Error codes of a connection that was never made, so the request cannot have reached OpenIM. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

export function newOperationID(): string {
  return `hooks-${randomUUID()}`;
}

export class OpenImCaller {
  private readonly fetch: typeof globalThis.fetch;

  constructor(
    private readonly baseUrl: string,
    private readonly options: OpenImCallerOptions,
  ) {
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /**
   * @throws OpenImUnreachableError when every attempt failed before an answer arrived.
   * @throws OpenImOutcomeUnknownError when a state-changing request may have arrived but got no answer.
   * @throws OpenImProtocolError when the answer is not OpenIM's JSON envelope.
   */
  async post(path: string, body: unknown, token?: string, operationID: string = newOperationID(), options: PostOptions = {}): Promise<OpenImAnswer> {
    const headers: Record<string, string> = { 'content-type': 'application/json', operationID };
    if (token !== undefined) headers.token = token;
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.options.maxAttempts; attempt++) {
      if (attempt > 1) await delay((this.options.backoffMs ?? 100) * 2 ** (attempt - 2));
      let response: Response;
      try {
        response = await this.fetch(`${this.baseUrl}${path}`, {
          method: 'POST',
          headers,
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
      } catch (error) {
        if (options.changesState && !neverSent(error)) throw new OpenImOutcomeUnknownError(path, { cause: error });
        lastError = error;
        continue;
      }
      return parseEnvelope(path, operationID, response.status, await response.text());
    }
    throw new OpenImUnreachableError(path, this.options.maxAttempts, { cause: lastError });
  }
}

function parseEnvelope(path: string, operationID: string, status: number, text: string): OpenImAnswer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new OpenImProtocolError(path, status);
  }
  const envelope = parsed as Record<string, unknown> | null;
  if (typeof envelope !== 'object' || envelope === null || typeof envelope.errCode !== 'number') {
    throw new OpenImProtocolError(path, status);
  }
  return {
    path,
    operationID,
    errCode: envelope.errCode,
    errMsg: typeof envelope.errMsg === 'string' ? envelope.errMsg : '',
    errDlt: typeof envelope.errDlt === 'string' ? envelope.errDlt : '',
    ...(envelope.data !== undefined && envelope.data !== null ? { data: envelope.data } : {}),
  };
}

function neverSent(error: unknown): boolean {
  const code = ((error as { cause?: { code?: unknown } } | undefined)?.cause?.code ?? '') as string;
  return NOT_SENT_CODES.has(code);
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
