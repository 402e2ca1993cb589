/**
 * How many after-callbacks per second one OpenIM process can send through each ingress option
 * before its webhook queue (2 workers, 100 slots, 3 s push wait, then drop: openim-after-queue.ts)
 * makes a user's request wait. A model, not a load test: each option's round trip is the sum of
 * its parts, each part a log-normal distribution fitted to a p50 and a p99 that are either
 * measured here or published (source and date printed with every figure), and the queue runs in
 * virtual time with Poisson arrivals from a seed. `npm run bench:ingress` prints, per option, the
 * highest rate per process without a stall or a drop, and the rate that still keeps a share of
 * headroom; then the ceiling for plain round-trip times, to read against CloudWatch's
 * IntegrationLatency of a real deployment.
 *
 * BENCH_SEED (default 16) and BENCH_SECONDS (simulated seconds per trial, default 300) change the run.
 */
import { highestCleanRate, simulateAfterQueue } from './openim-after-queue.ts';
import { seededRandom } from './seeded-random.ts';

interface LatencyPart {
  readonly name: string;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Where the figures come from: `measured: ...` or a URL with its date. */
  readonly source: string;
}

const Z99 = 2.326;

/** A log-normal sample with the part's p50 and p99. */
function sample(part: LatencyPart, random: () => number): number {
  const mu = Math.log(part.p50Ms);
  const sigma = (Math.log(part.p99Ms) - mu) / Z99;
  // Box-Muller from two uniforms.
  const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Math.exp(mu + sigma * normal);
}

// The parts. Measured figures come from this repository's benchmarks; published ones carry their
// page and date. Figures nobody publishes are marked as assumptions, to be replaced by a
// deployment's CloudWatch metrics (API Gateway IntegrationLatency/Latency, Lambda Duration).
const PARTS = {
  handler: {
    name: 'after-callback handler (secret check, envelope, zod, publish to a local stand-in)',
    p50Ms: 1.6,
    p99Ms: 9.85,
    source: 'measured: bench:callbacks "hooks, no policy after" on the 2-core development machine under other load (docs/benchmarks.md at 5e462ec, 2026-12-02; the row left that file with 5ca2151)',
  },
  handlerNoPublish: {
    name: 'ingress container answering before the publish (parse, secret check, envelope)',
    p50Ms: 0.6,
    p99Ms: 3,
    source: 'assumption from bench:callbacks: bare node http after p50 0.18 / p99 0.55 ms plus the envelope and zod check the handler adds',
  },
  restApi: {
    name: 'API Gateway REST API in front of the integration, keep-alive TLS',
    p50Ms: 10,
    p99Ms: 40,
    source: 'assumption: no per-request overhead is published by AWS; consistent with issue #16 "REST -> Lambda -> SNS typically 40-80 ms" once the other parts are added',
  },
  httpApi: {
    name: 'API Gateway HTTP API in front of the integration',
    p50Ms: 4,
    p99Ms: 16,
    source: 'restApi scaled by "up to 60% lower latency" (https://aws.amazon.com/about-aws/whats-new/2020/03/api-gateway-private-integrations-aws-elb-cloudmap-http-apis-release/, 2020-03-12)',
  },
  functionUrl: {
    name: 'Lambda function URL front end',
    p50Ms: 3,
    p99Ms: 12,
    source: 'assumption: "no latency overhead from API Gateway" (https://theburningmonk.com/2024/03/when-to-use-api-gateway-vs-lambda-function-urls/, 2024-03-03); the URL front end still routes to Lambda',
  },
  lambdaInvoke: {
    name: 'Lambda invoke of a warm environment',
    p50Ms: 4,
    p99Ms: 20,
    source: 'assumption (cold starts not modelled: the after-callback runs without provisioned concurrency, so scale-out adds hundreds of ms to some requests)',
  },
  awsPublish: {
    name: 'SNS Publish (or SQS SendMessage) call from inside the region, keep-alive',
    p50Ms: 20,
    p99Ms: 80,
    source: 'assumption, bounded by https://bitesizedserverless.com/bite/serverless-messaging-latency-compared/ (2022-09-04/05, eu-west-1): SNS publish-to-Lambda delivery p50 73 ms, p99 225 ms, which includes the Publish call',
  },
  internalNlb: {
    name: 'internal Network Load Balancer hop in the VPC',
    p50Ms: 0.3,
    p99Ms: 1.5,
    source: 'assumption: "ultra-low latencies" (https://aws.amazon.com/elasticloadbalancing/network-load-balancer/, product page, read 2026-12-02); TCP passthrough, same VPC',
  },
} as const satisfies Record<string, LatencyPart>;

interface IngressOption {
  readonly name: string;
  readonly parts: readonly LatencyPart[];
  /** What the option gives up against the envelope guarantees, if anything. */
  readonly caveat?: string;
}

const OPTIONS: readonly IngressOption[] = [
  { name: 'REST API -> Lambda -> SNS (built today)', parts: [PARTS.restApi, PARTS.lambdaInvoke, PARTS.handler, PARTS.awsPublish] },
  { name: 'HTTP API -> Lambda -> SNS', parts: [PARTS.httpApi, PARTS.lambdaInvoke, PARTS.handler, PARTS.awsPublish], caveat: 'no private endpoint type' },
  { name: 'REST API service integration -> SQS/SNS', parts: [PARTS.restApi, PARTS.awsPublish], caveat: 'no constant-time secret check, no envelope (eventId, valid, verbatim payload) in VTL' },
  { name: 'Lambda function URL -> SNS', parts: [PARTS.functionUrl, PARTS.lambdaInvoke, PARTS.handler, PARTS.awsPublish], caveat: 'public only: no VPC endpoint, no WAF' },
  { name: 'internal NLB -> container, answers after the publish', parts: [PARTS.internalNlb, PARTS.handler, PARTS.awsPublish], caveat: 'OpenIM must run in the VPC (deployOpenIM=true)' },
  {
    name: 'internal NLB -> container, answers first, batches publishes',
    parts: [PARTS.internalNlb, PARTS.handlerNoPublish],
    caveat: 'events buffered in the container are lost if it dies (as in OpenIM\'s own queue); OpenIM ignores the answer to an after-callback anyway',
  },
];

const seed = Number(process.env.BENCH_SEED ?? 16);
const seconds = Number(process.env.BENCH_SECONDS ?? 300);
const latencyOf = (parts: readonly LatencyPart[]) => (random: () => number) => parts.reduce((sum, part) => sum + sample(part, random), 0);
const fixed = (ms: number) => () => ms;

console.log(`OpenIM after-callback queue per process: 2 workers, 100 slots, 3 s push wait, then drop; Poisson arrivals, seed ${seed}, ${seconds} simulated s per trial\n`);
console.log('parts of a round trip (p50 / p99 ms; source):');
for (const part of Object.values(PARTS)) console.log(`  ${part.name}: ${part.p50Ms} / ${part.p99Ms}; ${part.source}`);

console.log('\nper OpenIM process                                          RTT mean ms   no stall or drop /s   at that rate: busy');
for (const option of OPTIONS) {
  const latencyMs = latencyOf(option.parts);
  const rate = highestCleanRate({ seconds, latencyMs, seed });
  const at = simulateAfterQueue({ ratePerSecond: rate, seconds, latencyMs, seed });
  const mean = meanOf(latencyMs, seed);
  console.log(`  ${option.name.padEnd(58)} ${mean.toFixed(1).padStart(9)} ${String(rate).padStart(21)} ${`${Math.round(at.utilisation * 100)}%`.padStart(19)}`);
  if (option.caveat) console.log(`    but: ${option.caveat}`);
}

console.log('\nfor a fixed round trip (read a deployment\'s p50 IntegrationLatency + API overhead here):');
for (const ms of [1, 2, 5, 10, 20, 40, 80]) {
  console.log(`  ${String(ms).padStart(3)} ms: ${highestCleanRate({ seconds, latencyMs: fixed(ms), seed })}/s per process`);
}

function meanOf(latencyMs: (random: () => number) => number, seedValue: number): number {
  const random = seededRandom(seedValue);
  let total = 0;
  for (let i = 0; i < 20_000; i += 1) total += latencyMs(random);
  return total / 20_000;
}
