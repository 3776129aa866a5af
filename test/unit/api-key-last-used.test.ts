/**
 * An API key's `last_used_at` is written at most once a minute (lib/accounts/keys.ts): a key used
 * again sooner costs no database write, and a revoked key still stops working at once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../lib/db';
import { accountServices } from '../../lib/accounts';
import { LAST_USED_PRECISION_MS } from '../../lib/accounts/keys';

it('writes last_used_at on first use and then once per minute, not on every request', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voxflow-key-used-'));
  const db = await openDatabase(`sqlite:${path.join(dir, 'db.sqlite')}`);
  try {
    const { keys, ledger } = accountServices(db);
    const account = await ledger.createAccount({ tenant: 'key-used', plan: 'paid', credits: 1 });
    const { key, info } = await keys.create(account.id);
    const lastUsed = async () => (await keys.list(account.id)).find((k) => k.id === info.id)!.last_used_at;
    expect(await lastUsed()).toBeNull();

    const t0 = new Date('2026-12-01T10:00:00.000Z');
    expect(await keys.authenticate(key, t0)).toBe(account.id);
    expect(await lastUsed()).toBe(t0.toISOString());
    // Used again within the minute: still authenticates, nothing written.
    expect(await keys.authenticate(key, new Date(t0.getTime() + LAST_USED_PRECISION_MS - 1000))).toBe(account.id);
    expect(await lastUsed()).toBe(t0.toISOString());
    // Older than a minute: written again.
    const t1 = new Date(t0.getTime() + LAST_USED_PRECISION_MS + 1000);
    expect(await keys.authenticate(key, t1)).toBe(account.id);
    expect(await lastUsed()).toBe(t1.toISOString());

    expect(await keys.revoke(account.id, info.id)).toBe(true);
    expect(await keys.authenticate(key, new Date(t1.getTime() + 1000))).toBeUndefined();
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
