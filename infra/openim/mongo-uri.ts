/**
 * The DocumentDB connection string for OpenIM and chat, as a shell `export` run at container start:
 * it holds the password, which reaches the container as an ECS secret and never the task definition.
 *
 * Why a URI: OpenIM builds `mongodb://user:pass@address/db?maxPoolSize=..&authSource=..` itself
 * (openimsdk/tools db/mongoutil, v0.0.50-alpha.106 to .117) with nothing to add options, and the Go
 * driver then retries writes, which DocumentDB 5.0 refuses: the first upsert fails and OpenIM never
 * becomes healthy. `mongodb.yml` `uri` (IMENV_MONGODB_URI, CHATENV_MONGODB_URI) replaces the whole
 * string, and these options make it fit DocumentDB: no retryable writes, TLS verified with the RDS
 * CA bundle, which none of OpenIM's images carries (a fetcher container puts it in `caFile`).
 */

/** Options AWS documents for a DocumentDB cluster endpoint, with retryable writes off. */
export const DOCUMENTDB_URI_OPTIONS = {
  tls: 'true',
  replicaSet: 'rs0',
  retryWrites: 'false',
  authSource: 'admin',
} as const;

export interface DocumentDbUri {
  /** The variable to export: IMENV_MONGODB_URI or CHATENV_MONGODB_URI. */
  readonly envVar: string;
  readonly host: string;
  readonly port: string;
  readonly username: string;
  /** The variable that holds the password at start (an ECS secret); expanded by the shell. */
  readonly passwordVar: string;
  readonly database: string;
  /** Path of the RDS CA bundle inside the container. */
  readonly caFile: string;
}

/** `export <envVar>="mongodb://..."`, for a `sh -c` start command. */
export function exportDocumentDbUri(uri: DocumentDbUri): string {
  const options = Object.entries({ ...DOCUMENTDB_URI_OPTIONS, tlsCAFile: uri.caFile })
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  return `export ${uri.envVar}="mongodb://${uri.username}:$${uri.passwordVar}@${uri.host}:${uri.port}/${uri.database}?${options}"`;
}
