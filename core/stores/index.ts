export type { FloodSlot, FloodState, FloodStateChange, FloodStore, FloodUpdateOptions } from './types.js';
export { EMPTY_FLOOD_STATE, parseFloodState, reviveFloodState } from './types.js';
export { createMemoryStore } from './memory.js';
export {
  createWebStorageStore,
  type ChannelLike,
  type LockManagerLike,
  type StorageEventLike,
  type StorageEventSource,
  type StorageLike,
  type WebStorageStoreOptions,
} from './web-storage.js';
export { createSerializedStore, type AsyncKeyValueArea, type SerializedStoreOptions } from './serialized.js';
