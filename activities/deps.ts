import type { Config } from '../lib/config';
import type { ObjectStore } from '../lib/storage';
import type { Logger } from '../lib/log';

/** What activity factories receive; nothing inside an activity reads env or globals. */
export interface ActivityDeps {
  config: Pick<Config, 'media'>;
  store: ObjectStore;
  log: Logger;
}
