/**
 * What durable local queues cost each event, measured on the stand-in alone so that little else
 * shares the figure: fauxqs (local/fauxqs-server.ts) in this process, on disk and in memory in
 * alternating rounds, each event taking the after path's whole trip through it: an SNS Publish
 * fanned out to a queue (answered only once it is stored), a receive and a delete. Reports the
 * median over rounds of the CPU per event (this process: client and server alike, so the
 * difference is the SQLite writes) and of the Publish latency the after-callback waits for.
 */
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqsServer } from '../local/fauxqs-server.ts';
import { scratchDirectory } from './scratch-directory.ts';

export interface QueueCost {
  readonly cpuMsPerEvent: number;
  readonly publishP50Ms: number;
}

export interface QueueDurabilityCost {
  readonly onDisk: QueueCost;
  readonly inMemory: QueueCost;
}

/** Events per round and publishes in flight, about what an after-callback burst puts on the topic. */
const EVENTS = 5_000;
const IN_FLIGHT = 10;
const WARMUP_EVENTS = 1_000;

export async function measureQueueDurabilityCost(rounds: number, body: string): Promise<QueueDurabilityCost> {
  const onDisk: QueueCost[] = [];
  const inMemory: QueueCost[] = [];
  for (let round = 0; round < rounds; round += 1) {
    onDisk.push(await measureRound(true, body));
    inMemory.push(await measureRound(false, body));
  }
  return { onDisk: medianCost(onDisk), inMemory: medianCost(inMemory) };
}

async function measureRound(durable: boolean, body: string): Promise<QueueCost> {
  const server = await startFauxqsServer({ host: '127.0.0.1', ...(durable ? { dataDir: scratchDirectory('bench-queues-') } : {}) });
  const config = { endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } };
  const sns = new SNSClient(config);
  const sqs = new SQSClient({ ...config, useQueueUrlAsEndpoint: false });
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'chat-events' }));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'audit' }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn!, Attributes: { RawMessageDelivery: 'true' } }));

  const latencies: number[] = [];
  const trip = async (events: number) => {
    for (let sent = 0; sent < events; sent += IN_FLIGHT) {
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          const started = performance.now();
          await sns.send(new PublishCommand({ TopicArn, Message: body }));
          latencies.push(performance.now() - started);
        }),
      );
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: IN_FLIGHT }));
      if (Messages.length > 0) {
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: Messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle! })) }));
      }
    }
  };
  await trip(WARMUP_EVENTS);
  latencies.length = 0;
  const cpu = process.cpuUsage();
  await trip(EVENTS);
  const used = process.cpuUsage(cpu);
  sns.destroy();
  sqs.destroy();
  await server.close();
  return { cpuMsPerEvent: (used.user + used.system) / 1000 / EVENTS, publishP50Ms: median(latencies) };
}

function medianCost(costs: readonly QueueCost[]): QueueCost {
  return { cpuMsPerEvent: median(costs.map((cost) => cost.cpuMsPerEvent)), publishP50Ms: median(costs.map((cost) => cost.publishP50Ms)) };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
