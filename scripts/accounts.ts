/**
 * Operator CLI for accounts (there is no self-service sign-up yet):
 *   node --import tsx scripts/accounts.ts create --tenant acme --plan paid --credits 500 [--email a@b.c]
 *   node --import tsx scripts/accounts.ts grant --account acct_… --credits 100 --ref invoice-42
 *   node --import tsx scripts/accounts.ts audit
 * `audit` rebuilds every balance from the ledger and lists accounts whose stored balance differs (exit 1).
 * `create` prints the account and its first API key (shown once; only a hash is stored).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../lib/config';
import { openDatabase } from '../lib/db';
import { accountServices } from '../lib/accounts';

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: { tenant: { type: 'string' }, plan: { type: 'string' }, credits: { type: 'string' }, email: { type: 'string' }, account: { type: 'string' }, ref: { type: 'string' } },
  });
  const db = await openDatabase(loadConfig().databaseUrl);
  const { ledger, keys } = accountServices(db);
  try {
    if (command === 'create') {
      if (!values.tenant) throw new Error('--tenant is required');
      const plan = values.plan ?? 'paid';
      if (!['free', 'paid'].includes(plan)) throw new Error('--plan must be free or paid');
      const account = await ledger.createAccount({ tenant: values.tenant, plan, credits: Number(values.credits ?? 0), email: values.email });
      const { key } = await keys.create(account.id, 'initial');
      console.log(JSON.stringify({ account, api_key: key }, null, 2));
    } else if (command === 'grant') {
      if (!values.account || !values.credits || !values.ref) throw new Error('--account, --credits and --ref are required');
      await ledger.grant(values.account, Number(values.credits), values.ref);
      console.log(JSON.stringify({ account: values.account, credits: await ledger.balance(values.account) }));
    } else if (command === 'audit') {
      const mismatches = await ledger.audit();
      console.log(JSON.stringify({ balanced: mismatches.length === 0, mismatches }, null, 2));
      if (mismatches.length) process.exitCode = 1;
    } else {
      throw new Error('usage: accounts.ts create|grant|audit …');
    }
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  console.error(err.message);
  process.exit(1);
});
