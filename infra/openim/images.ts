/**
 * OpenIM images per version, pinned. v3.8.3 follows openimsdk/openim-docker (the combination its
 * compose file runs: server v3.8.3-patch.15 with chat v1.8.4-patch.5). `main` has no published
 * image, so its server image must be given. The images start and check themselves differently:
 * v3.8.3's server image (golang:alpine) has `mage` on its PATH, main's (alpine, Dockerfile @7848d7c)
 * and chat's only a compiled `./mage` in the working directory.
 * Dependencies are pinned to the versions of the same compose file. Tags stay readable here; a
 * digest is added per deployment (see image-source.ts).
 */
import type { OpenimVersion } from '../config/stage-config.ts';

export interface OpenimImages {
  readonly server: string | undefined;
  readonly chat: string;
  /** The server image's own start command (its ENTRYPOINT), run after our variables are exported. */
  readonly serverStart: string;
  /** The server image's status check: non-zero until every OpenIM process runs. */
  readonly serverCheck: string;
}

/** Chat's ENTRYPOINT (chat Dockerfile @v1.8.4-patch.5), run after our variables are exported. */
export const CHAT_START = './mage start && sleep infinity';

export const OPENIM_IMAGES: Record<OpenimVersion, OpenimImages> = {
  'v3.8.3': {
    server: 'openim/openim-server:v3.8.3-patch.15',
    chat: 'openim/openim-chat:v1.8.4-patch.5',
    serverStart: 'mage start && tail -f /dev/null',
    serverCheck: 'mage check',
  },
  main: {
    server: undefined,
    chat: 'openim/openim-chat:v1.8.4-patch.5',
    serverStart: './mage start && sleep infinity',
    serverCheck: './mage check',
  },
};

export const DEPENDENCY_IMAGES = {
  mongo: 'mongo:7.0.28',
  redis: 'redis:7.0.0',
  etcd: 'bitnamilegacy/etcd:3.5.13',
  kafka: 'bitnamilegacy/kafka:3.5.1',
} as const;

/**
 * Fetches the RDS CA bundle for DocumentDB's TLS (managed mode): none of OpenIM's images carries
 * it. From ECR Public, so it never counts against Docker Hub's anonymous pull limit.
 */
export const CA_FETCHER_IMAGE = 'public.ecr.aws/amazonlinux/amazonlinux:2023';
