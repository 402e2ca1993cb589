/**
 * The baseline for `bench:callbacks`: a bare Node `http` server that only reads and parses the
 * body and answers "continue", i.e. the least any OpenIM webhook receiver can do.
 * Prints `listening <port>` when ready.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const CONTINUE = JSON.stringify({ actionCode: 0, errCode: 0, errMsg: '', errDlt: '', nextCode: 0 });

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      // The baseline answers continue whatever it got, as a fail-open receiver would.
    }
    // As the local server answers (local/apigw-adapter.ts): one write, with a Content-Length.
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(CONTINUE);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
