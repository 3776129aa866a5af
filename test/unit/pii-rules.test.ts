/** The deterministic PII rules of pii_redact (lib/pii): what each covers, what must stay, and the offsets. */
import { ibanValid, luhnValid } from '../../lib/pii/checksums';
import { redactPii } from '../../lib/pii/redact';
import { findCards, findEmails, findIbans, findIpv4s, findPhones, findRulePii, findSsns, type PiiSpan } from '../../lib/pii/rules';

const texts = (text: string, spans: PiiSpan[]) => spans.map((s) => text.slice(s.start, s.end));
const inSentence = (find: (t: string) => PiiSpan[], value: string) => texts(`Please note ${value}, thanks.`, find(`Please note ${value}, thanks.`));

describe('checksums', () => {
  it('Luhn accepts real test card numbers and rejects a changed digit', () => {
    for (const n of ['4111111111111111', '5500000000000004', '378282246310005', '4012888888881881', '6011111111111117', '3530111333300000']) expect({ n, ok: luhnValid(n) }).toEqual({ n, ok: true });
    for (const n of ['4111111111111112', '5500000000000005', '1234567890123456', '378282246310006']) expect({ n, ok: luhnValid(n) }).toEqual({ n, ok: false });
  });

  it('IBAN mod-97 accepts registry examples and rejects changed digits, wrong lengths and unknown shapes', () => {
    for (const n of ['DE89370400440532013000', 'GB82WEST12345698765432', 'FR1420041010050500013M02606', 'NL91ABNA0417164300', 'CH9300762011623852957', 'BE68539007547034', 'NO9386011117947', 'gb82west12345698765432'])
      expect({ n, ok: ibanValid(n) }).toEqual({ n, ok: true });
    for (const n of ['DE89370400440532013001', 'GB82WEST12345698765433', 'DE8937040044053201300', 'NL91ABNA04171643001', 'XX00', '1234567890123456'])
      expect({ n, ok: ibanValid(n) }).toEqual({ n, ok: false });
  });
});

describe('rules', () => {
  it('emails, including subdomains, plus tags and a sentence-ending dot', () => {
    expect(inSentence(findEmails, 'helena.okafor@bluewater-hotels.com')).toEqual(['helena.okafor@bluewater-hotels.com']);
    expect(texts('Mail ops+alerts@mail.example.co.uk.', findEmails('Mail ops+alerts@mail.example.co.uk.'))).toEqual(['ops+alerts@mail.example.co.uk']);
    expect(findEmails('not an email: user@localhost or @handle or a@b.c')).toEqual([]);
  });

  it('IBANs compact or grouped, with a following word not taken in; bad checksums stay', () => {
    expect(inSentence(findIbans, 'DE89 3704 0044 0532 0130 00')).toEqual(['DE89 3704 0044 0532 0130 00']);
    expect(inSentence(findIbans, 'GB82 WEST 1234 5698 7654 32')).toEqual(['GB82 WEST 1234 5698 7654 32']);
    expect(inSentence(findIbans, 'NL91ABNA0417164300')).toEqual(['NL91ABNA0417164300']);
    expect(texts('IBAN DE89 3704 0044 0532 0130 00 EUR account', findIbans('IBAN DE89 3704 0044 0532 0130 00 EUR account'))).toEqual(['DE89 3704 0044 0532 0130 00']);
    expect(inSentence(findIbans, 'DE89 3704 0044 0532 0130 01')).toEqual([]);
  });

  it('card numbers of 13–19 digits with spaces or dashes, Luhn-checked; a longer number is no card', () => {
    for (const n of ['4111 1111 1111 1111', '5500-0000-0000-0004', '378282246310005', '4012 8888 8888 1881', '6011111111111117']) expect(inSentence(findCards, n)).toEqual([n]);
    expect(inSentence(findCards, '4111 1111 1111 1112')).toEqual([]);
    expect(inSentence(findCards, 'order 1234 5678 9012 3456')).toEqual([]);
    // 20 digits: not a card, and no 16-digit part of it is one either.
    expect(findCards('ref 41111111111111110000 done')).toEqual([]);
  });

  it('US SSNs, dashed, without never-issued numbers', () => {
    expect(inSentence(findSsns, '123-45-6789')).toEqual(['123-45-6789']);
    for (const n of ['000-12-3456', '666-12-3456', '912-34-5678', '123-00-4567', '123-45-0000', '2024-03-14']) expect(inSentence(findSsns, n)).toEqual([]);
  });

  it('IPv4 addresses, not version numbers or out-of-range octets', () => {
    expect(inSentence(findIpv4s, '192.168.1.20')).toEqual(['192.168.1.20']);
    for (const n of ['999.1.1.1', 'version 2.3.1', '1.2.3.4.5', '10.0.0']) expect(inSentence(findIpv4s, n)).toEqual([]);
  });

  it('phones: international (+CC and 00CC) and national formats', () => {
    for (const n of [
      '+44 20 7946 0958',
      '+1 (415) 555-0132',
      '+1-202-555-0147',
      '+49 30 1234567',
      '+33 6 12 34 56 78',
      '+4930123456',
      '0044 20 7946 0958',
      '(415) 555-0132',
      '415-555-0132',
      '415.555.0132',
      '020 7946 0958',
      '030 12345678',
      '(030) 1234567',
      '06 12 34 56 78',
      '06-12345678',
    ])
      expect({ n, found: inSentence(findPhones, n) }).toEqual({ n, found: [n] });
  });
});

describe('numbers that are not PII stay', () => {
  const plain = [
    'The offsite is in 2024 and again in 2025.',
    'The budget is 48,000 euros, or $1,200.50 per person, 1 200 000 in total.',
    'We meet at 10:30 and finish at 14:45:00.',
    'Dates: 2024-03-14, 14.03.2024, 03/14/2024 and 01.02.2024 10:30.',
    'Release version 2.3.1 ships on April 2; pi is 3.14159.',
    'About 25% of 65 people, room 101, from 9 to 5, ISO 9001, +5 degrees.',
    'Order 1234 5678 9012 3456 and invoice 20240314-0042 and zip 94103.',
    'Call me between 3 and 4, the ticket is 12345678.',
  ];
  for (const t of plain) it(t, () => expect(texts(t, findRulePii(t))).toEqual([]));
});

describe('redactPii', () => {
  const text =
    'Helena Okafor (helena@bluewater.com, +44 20 7946 0958) paid with 4111 1111 1111 1111 from DE89 3704 0044 0532 0130 00 in Lisbon. Okafor said 2024 was good. 🎉 ssn 123-45-6789';
  const r = redactPii(text, [
    { text: 'Helena Okafor', type: 'person' },
    { text: 'Lisbon', type: 'place' },
    { text: 'Atlantis', type: 'place' },
  ]);

  it('replaces every span by its token and lists them in order', () => {
    expect(r.redacted_text).toBe('[PERSON] ([EMAIL], [PHONE]) paid with [CARD] from [IBAN] in [PLACE]. [PERSON] said 2024 was good. 🎉 ssn [SSN]');
    expect(r.redactions.map((x) => x.type)).toEqual(['person', 'email', 'phone', 'card', 'iban', 'place', 'person', 'ssn']);
  });

  it('offsets are code points into the original text (an emoji counts once)', () => {
    const cps = [...text];
    for (const x of r.redactions) expect(cps.slice(x.start, x.end).join('')).toBe(x.text);
    expect(r.redactions.at(-1)!.end).toBe(cps.length);
    expect(r.redactions.at(-1)!.end).toBe(text.length - 1);
  });

  it('a name inside an email is the email; names are whole words, case-sensitive', () => {
    const t = 'Will will write to will.smith@example.org; Willow stays.';
    const out = redactPii(t, [{ text: 'Will', type: 'person' }]);
    expect(out.redacted_text).toBe('[PERSON] will write to [EMAIL]; Willow stays.');
  });
});
