/** Port for the device registry: each user's devices, capped per user, found in bulk by the push worker. */
import type { Device, DeviceRegistration, UserDevice } from '../push/device.ts';

export interface DeviceStore {
  /**
   * Registers or replaces the device.
   * @throws DeviceLimitError when it is new and the user already has the maximum.
   */
  register(userID: string, deviceID: string, registration: DeviceRegistration, now: Date): Promise<Device>;
  /** Removes the device; false when it was not registered. */
  remove(userID: string, deviceID: string): Promise<boolean>;
  /** The user's devices, by deviceID. */
  listFor(userID: string): Promise<Device[]>;
  /** Every device of these users. */
  devicesOf(userIDs: readonly string[]): Promise<UserDevice[]>;
  /**
   * Removes the device only if it still has `token`, so a token the app re-registered after the
   * provider's refusal is kept. False when the token had already changed or the device was gone.
   */
  removeIfToken(userID: string, deviceID: string, token: string): Promise<boolean>;
}
