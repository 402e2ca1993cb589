/**
 * OpenIM images per version, pinned. v3.8.3 follows openimsdk/openim-docker (the combination its
 * compose file runs: server v3.8.3-patch.15 with chat v1.8.4-patch.5). `main` has no published
 * image, so its server image must be given; its Dockerfile also starts differently.
 * Dependencies are pinned to the versions of the same compose file.
 */
import type { OpenimVersion } from '../config/stage-config.ts';

export interface OpenimImages {
  readonly server: string | undefined;
  readonly chat: string;
  /** The image's own start command (its ENTRYPOINT), run after our environment is set. */
  readonly serverStart: string;
}

export const OPENIM_IMAGES: Record<OpenimVersion, OpenimImages> = {
  'v3.8.3': {
    server: 'openim/openim-server:v3.8.3-patch.15',
    chat: 'openim/openim-chat:v1.8.4-patch.5',
    serverStart: 'mage start && tail -f /dev/null',
  },
  main: {
    server: undefined,
    chat: 'openim/openim-chat:v1.8.4-patch.5',
    serverStart: './mage start && sleep infinity',
  },
};

export const DEPENDENCY_IMAGES = {
  mongo: 'mongo:7.0.28',
  redis: 'redis:7.0.0',
  etcd: 'bitnamilegacy/etcd:3.5.13',
  kafka: 'bitnamilegacy/kafka:3.5.1',
  minio: 'minio/minio:RELEASE.2024-01-11T07-46-16Z',
} as const;
