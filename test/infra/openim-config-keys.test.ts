/**
 * Every IMENV_* / CHATENV_* variable the OpenIM task sets must name a key of that version's YAML
 * files: viper reads a variable only for a key its file has, and ignores any other silently. The
 * keys are recorded from the pinned tags (openim-config-keys/*.json, with source and commit);
 * a variable maps to `<PREFIX>_<FILE>_<KEY PATH>`, upper-cased, "-" and "." as "_"
 * (open-im-server pkg/common/cmd/constant.go, chat pkg/common/config/env.go, viper AutomaticEnv).
 */
import { readFileSync } from 'node:fs';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OpenimVersion } from '../../infra/config/stage-config.ts';
import { OPENIM_IMAGES } from '../../infra/openim/images.ts';
import { buildOpenim, container, MODES, variablesOf } from './openim-template.ts';

interface ConfigKeys {
  readonly source: string;
  readonly commit: string;
  readonly envPrefix: string;
  readonly files: Readonly<Record<string, readonly string[]>>;
}

const loadKeys = (name: string): ConfigKeys => JSON.parse(readFileSync(new URL(`./openim-config-keys/${name}.json`, import.meta.url), 'utf8')) as ConfigKeys;

const SERVER_KEYS: Record<OpenimVersion, ConfigKeys> = {
  'v3.8.3': loadKeys('open-im-server-v3.8.3-patch.15'),
  main: loadKeys('open-im-server-main-7848d7c'),
};
const CHAT_KEYS = loadKeys('chat-v1.8.4-patch.5');

/** `<file> <key>`; alternatives: any one set of keys (among those the version has) must be set in full. */
type Requirement = readonly (readonly [file: string, key: string])[][];

/**
 * Keys whose shipped value is a known credential or an address that is wrong in the task: left
 * unset, OpenIM or chat would run on it (openIM123, chat123, 666666, chatAdmin, localhost:37017...).
 */
const SERVER_REQUIRED: Record<string, Requirement> = {
  'share secret': [[['share.yml', 'secret']]],
  'admin users': [[['share.yml', 'imAdminUserID']], [['share.yml', 'imAdminUser.userIDs']]],
  'webhook URL': [[['webhooks.yml', 'url']]],
  MongoDB: [[['mongodb.yml', 'uri']], [['mongodb.yml', 'address'], ['mongodb.yml', 'username'], ['mongodb.yml', 'password']]],
  Redis: [[['redis.yml', 'address'], ['redis.yml', 'password']]],
  Kafka: [[['kafka.yml', 'address']]],
  etcd: [[['discovery.yml', 'etcd.address']]],
  'object storage': [
    [
      ['openim-rpc-third.yml', 'object.enable'],
      ['openim-rpc-third.yml', 'object.aws.region'],
      ['openim-rpc-third.yml', 'object.aws.bucket'],
      ['openim-rpc-third.yml', 'object.aws.accessKeyID'],
      ['openim-rpc-third.yml', 'object.aws.secretAccessKey'],
    ],
  ],
};

const CHAT_REQUIRED: Record<string, Requirement> = {
  'OpenIM API and secret': [[['share.yml', 'openIM.apiURL'], ['share.yml', 'openIM.secret']]],
  'admin account': [[['share.yml', 'chatAdmin']]],
  'token secret': [[['chat-rpc-admin.yml', 'secret']]],
  'verification super code': [[['chat-rpc-chat.yml', 'verifyCode.superCode']]],
  'LiveKit secret': [[['chat-rpc-chat.yml', 'liveKit.secret']]],
  MongoDB: [[['mongodb.yml', 'uri']], [['mongodb.yml', 'address'], ['mongodb.yml', 'username'], ['mongodb.yml', 'password']]],
  Redis: [[['redis.yml', 'address'], ['redis.yml', 'password']]],
  etcd: [[['discovery.yml', 'etcd.address']]],
};

/** The variable viper reads for `key` of `file`. */
function variableFor(envPrefix: string, file: string, key: string): string {
  const filePart = file.replace(/\.ya?ml$/, '').replaceAll('-', '_');
  return `${envPrefix}_${filePart}_${key.replaceAll('.', '_')}`.toUpperCase();
}

function knownVariables(keys: ConfigKeys): Set<string> {
  return new Set(Object.entries(keys.files).flatMap(([file, fileKeys]) => fileKeys.map((key) => variableFor(keys.envPrefix, file, key))));
}

/** The requirements `variables` leaves unmet, by name. */
function unmet(requirements: Record<string, Requirement>, keys: ConfigKeys, variables: readonly string[]): string[] {
  const set = new Set(variables);
  return Object.entries(requirements)
    .filter(([, alternatives]) => {
      const possible = alternatives.filter((alternative) => alternative.every(([file, key]) => keys.files[file]?.includes(key)));
      return !possible.some((alternative) => alternative.every(([file, key]) => set.has(variableFor(keys.envPrefix, file, key))));
    })
    .map(([name]) => name);
}

describe('Function: variableFor()', () => {
  it('names a nested key of a hyphenated file as OpenIM documents it (IMENV_OPENIM_RPC_USER_RPC_LISTENIP)', () => {
    expect(variableFor('IMENV', 'openim-rpc-user.yml', 'rpc.listenIP')).toBe('IMENV_OPENIM_RPC_USER_RPC_LISTENIP');
  });
});

describe('Test data: OpenIM config keys', () => {
  it('are recorded from the tags whose images the stack pins', () => {
    expect(OPENIM_IMAGES['v3.8.3'].server).toContain(SERVER_KEYS['v3.8.3'].source.split('@')[1]?.split(' ')[0]);
    expect(OPENIM_IMAGES['v3.8.3'].chat).toContain(CHAT_KEYS.source.split('@')[1]?.split(' ')[0]);
    expect(OPENIM_IMAGES.main.chat).toContain(CHAT_KEYS.source.split('@')[1]?.split(' ')[0]);
  });

  it.each([
    { case: 'server v3.8.3', requirements: SERVER_REQUIRED, keys: SERVER_KEYS['v3.8.3'] },
    { case: 'server main', requirements: SERVER_REQUIRED, keys: SERVER_KEYS.main },
    { case: 'chat', requirements: CHAT_REQUIRED, keys: CHAT_KEYS },
  ])('name, for $case, only requirements the version can meet', ({ requirements, keys }) => {
    for (const alternatives of Object.values(requirements)) {
      expect(alternatives.some((alternative) => alternative.every(([file, key]) => keys.files[file]?.includes(key)))).toBe(true);
    }
  });
});

describe.each(MODES)('Config keys: $dependencies dependencies, OpenIM $version', ({ dependencies, version }) => {
  let template: Template;
  beforeAll(() => {
    template = buildOpenim({ dependencies, version });
  });

  it('sets no IMENV_ variable on openim-server that maps to no key of its version', () => {
    const known = knownVariables(SERVER_KEYS[version]);
    expect(variablesOf(container(template, 'openim-server')).filter((name) => name.startsWith('IMENV_') && !known.has(name))).toEqual([]);
  });

  it('sets every openim-server key whose shipped value is a default credential or a wrong address', () => {
    expect(unmet(SERVER_REQUIRED, SERVER_KEYS[version], variablesOf(container(template, 'openim-server')))).toEqual([]);
  });

  it('sets no CHATENV_ variable on openim-chat that maps to no key of chat', () => {
    const known = knownVariables(CHAT_KEYS);
    expect(variablesOf(container(template, 'openim-chat')).filter((name) => name.startsWith('CHATENV_') && !known.has(name))).toEqual([]);
  });

  it('sets every openim-chat key whose shipped value is a default credential or a wrong address', () => {
    expect(unmet(CHAT_REQUIRED, CHAT_KEYS, variablesOf(container(template, 'openim-chat')))).toEqual([]);
  });

  it('gives each container only its own prefix (the other one reads nothing)', () => {
    expect(variablesOf(container(template, 'openim-server')).filter((name) => name.startsWith('CHATENV_'))).toEqual([]);
    expect(variablesOf(container(template, 'openim-chat')).filter((name) => name.startsWith('IMENV_'))).toEqual([]);
  });
});
