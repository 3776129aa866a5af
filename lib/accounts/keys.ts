/**
 * API keys: `vf_` + 32 random bytes (base64url). Stored only as SHA-256 (the key's own entropy makes a
 * slow hash unnecessary); the raw key is returned once. Lookups check revocation every time, so a
 * revoked key stops working at once, on every API process.
 */
import crypto from 'node:crypto';
import type { Sql } from '../db';

export interface ApiKeyInfo {
  id: string;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

const hashKey = (raw: string) => crypto.createHash('sha256').update(raw).digest('hex');

/**
 * `last_used_at` is kept to this precision: a key used again sooner writes nothing. A write on
 * every request was a database commit (an fsync) on the path of every authenticated call.
 */
export const LAST_USED_PRECISION_MS = 60_000;

export class ApiKeys {
  constructor(private readonly sql: Sql) {}

  async create(accountId: string, name = 'default'): Promise<{ key: string; info: ApiKeyInfo }> {
    const raw = `vf_${crypto.randomBytes(32).toString('base64url')}`;
    const id = `key_${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`;
    const info: ApiKeyInfo = { id, name, prefix: raw.slice(0, 10), created_at: new Date().toISOString(), last_used_at: null, revoked_at: null };
    await this.sql.run(`INSERT INTO api_keys (id, account_id, name, prefix, hash, created_at) VALUES (?, ?, ?, ?, ?, ?)`, [
      id, accountId, name, info.prefix, hashKey(raw), info.created_at,
    ]);
    return { key: raw, info };
  }

  /** The account a raw key belongs to, or undefined for unknown or revoked keys. Marks it used (to the minute). */
  async authenticate(raw: string, now = new Date()): Promise<string | undefined> {
    if (!/^vf_[A-Za-z0-9_-]{43}$/.test(raw)) return undefined;
    const row = await this.sql.get<{ id: string; account_id: string; last_used_at: string | null }>(
      `SELECT id, account_id, last_used_at FROM api_keys WHERE hash = ? AND revoked_at IS NULL`, [hashKey(raw)]);
    if (!row) return undefined;
    const stale = new Date(now.getTime() - LAST_USED_PRECISION_MS).toISOString();
    // ISO times in UTC compare as text. Guarded, so concurrent requests on several API processes write once.
    if (row.last_used_at === null || row.last_used_at < stale) {
      await this.sql.run(`UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)`, [now.toISOString(), row.id, stale]);
    }
    return row.account_id;
  }

  async list(accountId: string): Promise<ApiKeyInfo[]> {
    return this.sql.all<ApiKeyInfo>(
      `SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_keys WHERE account_id = ? ORDER BY created_at`, [accountId]);
  }

  /** True when the key existed for this account and is now revoked. */
  async revoke(accountId: string, id: string): Promise<boolean> {
    const r = await this.sql.run(`UPDATE api_keys SET revoked_at = ? WHERE id = ? AND account_id = ? AND revoked_at IS NULL`, [
      new Date().toISOString(), id, accountId,
    ]);
    return r.changes > 0;
  }
}
