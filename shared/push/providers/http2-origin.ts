/**
 * One HTTP/2 connection to a push provider's origin, with requests whose failures say whether the
 * provider can have acted on them. APNs speaks only HTTP/2; FCM takes it too (Google's own Admin
 * SDK sends over HTTP/2), and a stream costs less than an HTTP/1.1 request on its own socket.
 * A stream refused (REFUSED_STREAM, RFC 9113 §8.7) or failed before its request left is
 * ProviderUnavailableError (safe to send again); one cut after that may have been taken, so it is
 * DeliveryOutcomeUnknownError and never resent (docs/push.md).
 */
import { connect, constants, type ClientHttp2Session, type OutgoingHttpHeaders } from 'node:http2';
import { DeliveryOutcomeUnknownError, ProviderUnavailableError } from '../errors.ts';

export interface Http2Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export class Http2Origin {
  private session: ClientHttp2Session | undefined;

  /** @param provider names the provider in the errors a request throws */
  constructor(
    private readonly provider: string,
    private readonly origin: string,
  ) {}

  post(path: string, headers: OutgoingHttpHeaders, body: string, timeoutMs: number): Promise<Http2Answer> {
    const session = this.connection();
    return new Promise((resolve, reject) => {
      const request = session.request({ ...headers, [constants.HTTP2_HEADER_METHOD]: 'POST', [constants.HTTP2_HEADER_PATH]: path });
      // Written once the whole request is in the session and the session is connected.
      let written = false;
      request.on('finish', () => {
        if (session.connecting) session.once('connect', () => (written = true));
        else written = true;
      });
      request.setTimeout(timeoutMs, () => request.close(constants.NGHTTP2_CANCEL));
      let status = 0;
      let answerHeaders: Http2Answer['headers'] = {};
      let failure: Error | undefined;
      const chunks: Buffer[] = [];
      request.on('response', (received) => {
        status = Number(received[constants.HTTP2_HEADER_STATUS]);
        answerHeaders = received;
      });
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('error', (error) => (failure = error));
      // The status is known: the body only explains it, so a body cut short still answers.
      request.on('close', () => {
        if (status !== 0) return resolve({ status, headers: answerHeaders, body: Buffer.concat(chunks).toString('utf8') });
        const reason = failure?.message ?? `stream closed with code ${request.rstCode}`;
        if (!written || request.rstCode === constants.NGHTTP2_REFUSED_STREAM) {
          reject(new ProviderUnavailableError(this.provider, `${reason} before the request was taken`, { cause: failure }));
        } else {
          reject(new DeliveryOutcomeUnknownError(this.provider, `${reason} after the request was written`, { cause: failure }));
        }
      });
      request.end(body);
    });
  }

  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    if (session && !session.closed) await new Promise<void>((resolve) => session.close(() => resolve()));
  }

  private connection(): ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    const session = connect(this.origin);
    // A broken connection is replaced on the next send; the failed request reports its own error.
    session.on('error', () => session.destroy());
    session.on('close', () => {
      if (this.session === session) this.session = undefined;
    });
    session.unref();
    this.session = session;
    return session;
  }
}
