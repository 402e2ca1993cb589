/**
 * Where the OpenIM task pulls its images from, and which manifest each one is.
 * - Docker Hub limits anonymous pulls per source address, and every task leaves through the same
 *   NAT address, so a task restarting in a loop (six Docker Hub images each time) can hit the
 *   limit. With `registry`, a Docker Hub pull-through cache rule in ECR serves them from the account:
 *   `openim/openim-server:tag` becomes `<registry>/openim/openim-server:tag`, and `mongo:tag`
 *   `<registry>/library/mongo:tag` (Docker Hub's namespace for official images).
 * - `digests` pin each repository to one manifest (`name:tag@sha256:...`), so a re-pushed tag never
 *   changes what runs. A pull-through cache keeps the upstream digest.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

export interface ImageSourceProps {
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<namespace>`: a pull-through cache rule for Docker Hub. */
  readonly registry?: string | undefined;
  /** A JSON object: repository as written in the image reference (`openim/openim-server`, `mongo`) -> `sha256:<64 hex>`. */
  readonly digests?: string | undefined;
}

export class ImageSourceError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid OpenIM image settings:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ImageSourceError';
  }
}

const ECR_REGISTRY = /^(?<account>\d{12})\.dkr\.ecr\.(?<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/(?<namespace>[a-z0-9][a-z0-9._/-]*)$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
/** `[host/]path[:tag][@sha256:...]`; the host is the first segment when it has a dot, a colon or is localhost. */
const REFERENCE = /^(?<repository>[^@\s]+?)(?::(?<tag>[\w][\w.-]{0,127}))?(?:@(?<digest>sha256:[0-9a-f]{64}))?$/;

/** What a pull through `registry` needs: the first pull of a tag creates its repository and imports it. */
const PULL_THROUGH_ACTIONS = [
  'ecr:BatchGetImage',
  'ecr:GetDownloadUrlForLayer',
  'ecr:BatchCheckLayerAvailability',
  'ecr:BatchImportUpstreamImage',
  'ecr:CreateRepository',
];

function isDockerHub(repository: string): boolean {
  const first = repository.split('/')[0] ?? '';
  return !(repository.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost'));
}

export class ImageSource {
  private readonly registry: RegExpExecArray['groups'] | undefined;
  private readonly digests: Readonly<Record<string, string>>;

  constructor(props: ImageSourceProps = {}) {
    const problems: string[] = [];
    this.registry = props.registry === undefined ? undefined : ECR_REGISTRY.exec(props.registry)?.groups;
    if (props.registry !== undefined && !this.registry) {
      problems.push(`openimImageRegistry must be <account>.dkr.ecr.<region>.amazonaws.com/<namespace>, got "${props.registry}"`);
    }
    this.digests = parseDigests(props.digests, problems);
    if (problems.length > 0) throw new ImageSourceError(problems);
  }

  /** The reference to pull: through the cache for Docker Hub images, with the repository's digest when one is set. */
  reference(image: string): string {
    const parsed = REFERENCE.exec(image)?.groups;
    if (!parsed?.repository) throw new ImageSourceError([`not an image reference: "${image}"`]);
    const { repository, tag, digest } = parsed;
    const pinned = this.digests[repository];
    if (digest && pinned && digest !== pinned) throw new ImageSourceError([`${image} names a digest other than openimImageDigests["${repository}"]`]);
    const host = this.registry && isDockerHub(repository) ? `${this.registry.account}.dkr.ecr.${this.registry.region}.amazonaws.com/${this.registry.namespace}/` : '';
    const path = host && !repository.includes('/') ? `library/${repository}` : repository;
    return `${host}${path}${tag ? `:${tag}` : ''}${digest ?? pinned ? `@${digest ?? pinned}` : ''}`;
  }

  /** Lets `role` (the task's execution role) pull through the cache; nothing to grant for public registries. */
  grantPull(role: iam.IRole): void {
    if (!this.registry) return;
    const { account, region, namespace } = this.registry;
    const partition = Stack.of(role).partition;
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }));
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: PULL_THROUGH_ACTIONS, resources: [`arn:${partition}:ecr:${region}:${account}:repository/${namespace}/*`] }),
    );
  }
}

/** Whether `reference` names one manifest rather than a tag that can move. */
export function isDigestPinned(reference: string): boolean {
  return REFERENCE.exec(reference)?.groups?.digest !== undefined;
}

function parseDigests(text: string | undefined, problems: string[]): Readonly<Record<string, string>> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    problems.push('openimImageDigests must be a JSON object of repository -> sha256 digest');
    return {};
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push('openimImageDigests must be a JSON object of repository -> sha256 digest');
    return {};
  }
  for (const [repository, digest] of Object.entries(value)) {
    if (typeof digest !== 'string' || !DIGEST.test(digest)) problems.push(`openimImageDigests["${repository}"] must be sha256:<64 hex digits>`);
  }
  return value as Record<string, string>;
}
