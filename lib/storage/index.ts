import type { Config } from '../config';
import { LocalDiskStore } from './local';
import { MinioStore } from './minio';
import type { ObjectStore } from './types';

export * from './types';

export function createStore(config: Pick<Config, 'storage'>): ObjectStore {
  const s = config.storage;
  return s.kind === 'minio' ? new MinioStore(s) : new LocalDiskStore(s.dir);
}
