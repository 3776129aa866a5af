import { AddressPolicy } from '../../lib/webhooks/address-policy';
import { resolveChecked, WebhookAddressDeniedError } from '../../lib/webhooks/deliver';
import { signatureHeader, verifySignature } from '../../lib/webhooks/signature';
import { webhookUrlProblem } from '../../lib/webhooks/url';

describe('webhook address policy', () => {
  const deny = new AddressPolicy();
  it.each(['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:10.0.0.1', '::ffff:127.0.0.1'])(
    'denies %s by default',
    (a) => expect(deny.check(a)).toMatch(/private, loopback, link-local or reserved/),
  );
  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('allows public %s', (a) => expect(deny.check(a)).toBeUndefined());

  it('allows exactly what the operator lists', () => {
    const p = new AddressPolicy(['127.0.0.1', '10.0.0.0/8']);
    expect(p.check('127.0.0.1')).toBeUndefined();
    expect(p.check('127.0.0.2')).toBeDefined();
    expect(p.check('10.200.0.1')).toBeUndefined();
    expect(p.check('192.168.0.1')).toBeDefined();
  });

  it('checks every address a name resolves to, at delivery', async () => {
    await expect(resolveChecked('127.0.0.1', deny)).rejects.toBeInstanceOf(WebhookAddressDeniedError);
    await expect(resolveChecked('[::1]', deny)).rejects.toThrow(/::1 is a private/);
    // `localhost` resolves to loopback addresses only: denied without an allowance for all of them.
    await expect(resolveChecked('localhost', deny)).rejects.toThrow(/resolves to .* private, loopback/);
    await expect(resolveChecked('127.0.0.1', new AddressPolicy(['127.0.0.1']))).resolves.toEqual({ address: '127.0.0.1', family: 4 });
  });
});

describe('webhook URLs', () => {
  it('takes http(s) URLs without credentials only', () => {
    expect(webhookUrlProblem('https://hooks.example.com/voxflow?x=1')).toBeUndefined();
    expect(webhookUrlProblem('http://10.0.0.1:8080/')).toBeUndefined(); // shape only: the address is checked at delivery
    expect(webhookUrlProblem('ftp://example.com/')).toMatch(/http or https/);
    expect(webhookUrlProblem('file:///etc/passwd')).toMatch(/http or https/);
    expect(webhookUrlProblem('https://user:pw@example.com/')).toMatch(/credentials/);
    expect(webhookUrlProblem('example.com/hook')).toMatch(/absolute URL/);
    expect(webhookUrlProblem(`https://example.com/${'a'.repeat(2100)}`)).toMatch(/longer than 2048/);
  });
});

describe('webhook signatures', () => {
  const body = '{"id":"job_1","status":"succeeded"}';
  it('is Stripe-shaped and verifies only the same body, secret and a fresh time', () => {
    const h = signatureHeader('s3cret-s3cret-s3cret', body, 1_700_000_000);
    expect(h).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature(h, 's3cret-s3cret-s3cret', body, { nowSeconds: 1_700_000_100 })).toBe(true);
    expect(verifySignature(h, 's3cret-s3cret-s3cret', body.replace('succeeded', 'failed'), { nowSeconds: 1_700_000_100 })).toBe(false);
    expect(verifySignature(h, 'another-secret-value', body, { nowSeconds: 1_700_000_100 })).toBe(false);
    // A replay an hour later is refused (default tolerance 5 minutes).
    expect(verifySignature(h, 's3cret-s3cret-s3cret', body, { nowSeconds: 1_700_003_600 })).toBe(false);
    expect(verifySignature(undefined, 's3cret-s3cret-s3cret', body)).toBe(false);
    expect(verifySignature('t=abc,v1=00', 's3cret-s3cret-s3cret', body)).toBe(false);
  });
});
