/**
 * One HTTP/1.1 POST whose failures say whether the server can have acted on it. `fetch` cannot
 * tell, so a timeout that fired after the server had taken the request looked like "unavailable"
 * and was sent again (the duplicates of issue #19). Here the request counts as written once Node
 * has handed all of it to the socket ('finish'): a failure before that is ProviderUnavailableError
 * (safe to retry), after it and before an answer DeliveryOutcomeUnknownError (not retried).
 */
import { request as httpRequest, Agent as HttpAgent } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import { DeliveryOutcomeUnknownError, ProviderUnavailableError } from '../errors.ts';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** Keep-alive agents per protocol; sockets are reused across sends and jobs of one instance. */
const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

export function postJson(provider: string, url: URL, headers: Record<string, string>, body: string, timeoutMs: number): Promise<HttpAnswer> {
  const secure = url.protocol === 'https:';
  const send = secure ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    let written = false;
    let status: number | undefined;
    let responseHeaders: HttpAnswer['headers'] = {};
    const chunks: Buffer[] = [];
    // The status is known: the body only explains it, so a body cut short still answers.
    const answer = () => resolve({ status: status!, headers: responseHeaders, body: Buffer.concat(chunks).toString('utf8') });
    const req = send(url, {
      method: 'POST',
      agent: secure ? agents.https : agents.http,
      headers: { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) },
    });
    req.on('finish', () => (written = true));
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => {
      if (status !== undefined) return answer();
      const reason = error.message;
      reject(
        written
          ? new DeliveryOutcomeUnknownError(provider, `${reason} after the request was written`, { cause: error })
          : new ProviderUnavailableError(provider, `${reason} before the request was written`, { cause: error }),
      );
    });
    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      responseHeaders = res.headers;
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', answer);
      res.on('error', answer);
    });
    req.end(body);
  });
}
