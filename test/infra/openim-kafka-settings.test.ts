import { describe, expect, it } from 'vitest';
import { kafkaBrokerProperties, kafkaContainerEnvironment, kafkaReplication, mskServerProperties } from '../../infra/openim/kafka-settings.ts';

describe('Function: kafkaReplication()', () => {
  it.each([
    { brokers: 1, factor: 1, minInsyncReplicas: 1 },
    { brokers: 2, factor: 2, minInsyncReplicas: 1 },
    { brokers: 3, factor: 3, minInsyncReplicas: 2 },
    { brokers: 6, factor: 3, minInsyncReplicas: 2 },
  ])('keeps $factor copies, $minInsyncReplicas needed per write, on $brokers brokers', ({ brokers, factor, minInsyncReplicas }) => {
    expect(kafkaReplication(brokers)).toEqual({ factor, minInsyncReplicas });
  });

  it('throws when there is no broker', () => {
    expect(() => kafkaReplication(0)).toThrow(/at least one broker/);
  });
});

describe('Function: kafkaBrokerProperties()', () => {
  it('never asks for more replicas of Kafka\'s internal topics than there are brokers', () => {
    for (const brokers of [1, 2, 3]) {
      const properties = kafkaBrokerProperties(brokers);
      for (const key of ['default.replication.factor', 'offsets.topic.replication.factor', 'transaction.state.log.replication.factor', 'min.insync.replicas', 'transaction.state.log.min.isr']) {
        expect(Number(properties[key])).toBeLessThanOrEqual(brokers);
      }
    }
  });

  it('writes MSK\'s server.properties one per line, and the bitnami variables upper-cased', () => {
    expect(mskServerProperties(2).split('\n')).toContain('offsets.topic.replication.factor=2');
    expect(kafkaContainerEnvironment()).toMatchObject({ KAFKA_CFG_OFFSETS_TOPIC_REPLICATION_FACTOR: '1', KAFKA_CFG_NUM_PARTITIONS: '8' });
  });
});
