/**
 * Kafka broker settings for OpenIM, the same for the container (one broker) and MSK (one broker per
 * AZ). OpenIM never creates its topics, so the brokers create them on first use (8 partitions, as
 * openim-docker does). Every replication factor must fit the broker count: Kafka's default of 3 for
 * `offsets.topic.replication.factor` leaves the consumer-offsets topic uncreatable on fewer than 3
 * brokers, and OpenIM's consumer groups (msgtransfer, push) then never start consuming.
 */

export interface KafkaReplication {
  /** Copies of each topic, OpenIM's and Kafka's internal ones. */
  readonly factor: number;
  /** Copies a write needs, one fewer than the factor (when there is more than one) so one broker may be down. */
  readonly minInsyncReplicas: number;
}

/** Replication for `brokers` brokers: up to 3 copies. */
export function kafkaReplication(brokers: number): KafkaReplication {
  if (!Number.isInteger(brokers) || brokers < 1) throw new Error(`a Kafka cluster needs at least one broker, got ${brokers}`);
  const factor = Math.min(brokers, 3);
  return { factor, minInsyncReplicas: Math.max(factor - 1, 1) };
}

/** Broker properties (Kafka's names) for `brokers` brokers. */
export function kafkaBrokerProperties(brokers: number): Record<string, string> {
  const { factor, minInsyncReplicas } = kafkaReplication(brokers);
  return {
    'auto.create.topics.enable': 'true',
    'num.partitions': '8',
    'default.replication.factor': String(factor),
    'min.insync.replicas': String(minInsyncReplicas),
    'offsets.topic.replication.factor': String(factor),
    'transaction.state.log.replication.factor': String(factor),
    'transaction.state.log.min.isr': String(minInsyncReplicas),
  };
}

/** MSK's `server.properties`. */
export function mskServerProperties(brokers: number): string {
  return Object.entries(kafkaBrokerProperties(brokers))
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
}

/** The same properties as the bitnami image's `KAFKA_CFG_*` variables, for the one-broker container. */
export function kafkaContainerEnvironment(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(kafkaBrokerProperties(1)).map(([key, value]) => [`KAFKA_CFG_${key.toUpperCase().replaceAll('.', '_')}`, value]),
  );
}
