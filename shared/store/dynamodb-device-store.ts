/**
 * The device registry in DynamoDB: one item per user holding a map of its devices, so the push
 * worker reads 100 users' devices with one BatchGetItem instead of one query per user, and the
 * per-user cap is a condition on the map's size. Conditional writes only (no transactions).
 *
 *   userID | devices = { <deviceID>: {platform, provider, token, updatedAt} } | updatedAt
 */
import { GetCommand, PutCommand, UpdateCommand, type DynamoDocumentClient } from '../aws/dynamodb-client.ts';
import type { Device, DeviceRegistration, UserDevice } from '../push/device.ts';
import { DeviceLimitError } from '../push/errors.ts';
import { batchGetAll } from './batch-items.ts';
import { conditionHeld } from './conditional-write.ts';
import type { DeviceStore } from './device-store.ts';

// Condition fragments, joined per write.
const userExists = 'attribute_exists(devices)';
const userIsNew = 'attribute_not_exists(userID)';
const deviceExists = 'attribute_exists(devices.#deviceID)';
const belowCap = 'size(devices) < :cap';
const tokenUnchanged = 'devices.#deviceID.#token = :token';

type StoredDevice = Omit<Device, 'deviceID'>;

export class DynamoDbDeviceStore implements DeviceStore {
  constructor(
    private readonly client: DynamoDocumentClient,
    private readonly tableName: string,
    private readonly options: { readonly maxDevicesPerUser: number },
  ) {}

  async register(userID: string, deviceID: string, registration: DeviceRegistration, now: Date): Promise<Device> {
    const stored: StoredDevice = { platform: registration.platform, provider: registration.provider, token: registration.token, updatedAt: now.toISOString() };
    // Two rounds at most: a concurrent first registration may create the user's item in between.
    for (let round = 0; round < 2; round++) {
      const addedToUser = await conditionHeld(
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { userID },
            UpdateExpression: 'SET devices.#deviceID = :device, updatedAt = :now',
            ConditionExpression: `${userExists} AND (${deviceExists} OR ${belowCap})`,
            ExpressionAttributeNames: { '#deviceID': deviceID },
            ExpressionAttributeValues: { ':device': stored, ':now': stored.updatedAt, ':cap': this.options.maxDevicesPerUser },
          }),
        ),
      );
      if (addedToUser) return { deviceID, ...stored };
      if (await this.userExists(userID)) throw new DeviceLimitError(userID, this.options.maxDevicesPerUser);
      const userCreated = await conditionHeld(
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { userID, devices: { [deviceID]: stored }, updatedAt: stored.updatedAt },
            ConditionExpression: userIsNew,
          }),
        ),
      );
      if (userCreated) return { deviceID, ...stored };
    }
    throw new DeviceLimitError(userID, this.options.maxDevicesPerUser);
  }

  async remove(userID: string, deviceID: string): Promise<boolean> {
    return this.removeWhere(userID, deviceID, deviceExists, {});
  }

  async removeIfToken(userID: string, deviceID: string, token: string): Promise<boolean> {
    return this.removeWhere(userID, deviceID, tokenUnchanged, { names: { '#token': 'token' }, values: { ':token': token } });
  }

  async listFor(userID: string): Promise<Device[]> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { userID }, ConsistentRead: true }));
    return Item ? devicesIn(Item).sort((a, b) => a.deviceID.localeCompare(b.deviceID)) : [];
  }

  async devicesOf(userIDs: readonly string[]): Promise<UserDevice[]> {
    const items = await batchGetAll(this.client, this.tableName, [...new Set(userIDs)].map((userID) => ({ userID })), {
      projection: 'userID, devices',
    });
    return items.flatMap((item) => devicesIn(item).map((device) => ({ userID: item.userID as string, ...device })));
  }

  private async removeWhere(
    userID: string,
    deviceID: string,
    condition: string,
    extra: { readonly names?: Record<string, string>; readonly values?: Record<string, unknown> },
  ): Promise<boolean> {
    return conditionHeld(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { userID },
          UpdateExpression: 'REMOVE devices.#deviceID',
          ConditionExpression: condition,
          ExpressionAttributeNames: { '#deviceID': deviceID, ...extra.names },
          ...(extra.values ? { ExpressionAttributeValues: extra.values } : {}),
        }),
      ),
    );
  }

  private async userExists(userID: string): Promise<boolean> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { userID }, ProjectionExpression: 'userID', ConsistentRead: true }),
    );
    return Item !== undefined;
  }
}

function devicesIn(item: Record<string, unknown>): Device[] {
  const devices = (item.devices ?? {}) as Record<string, StoredDevice>;
  return Object.entries(devices).map(([deviceID, device]) => ({ deviceID, ...device }));
}
