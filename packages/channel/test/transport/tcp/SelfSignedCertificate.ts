import { generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';

/**
 * A throw-away self-signed certificate for TLS tests, made at test time (Netty has a class of the same
 * name). Node 20 can parse but not issue X.509 certificates, so this encodes a minimal v3 certificate in
 * DER by hand: EC P-256 key, ECDSA-SHA256 signature, CN=localhost, subjectAltName DNS:localhost and
 * IP:127.0.0.1, valid from yesterday for a week.
 */
export class SelfSignedCertificate {
  /** PEM of the certificate (use as `cert` on the server and `ca` on the client). */
  readonly cert: string;
  /** PEM of the PKCS#8 private key. */
  readonly key: string;

  constructor(commonName = 'localhost') {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const ecdsaWithSha256 = seq(oid('1.2.840.10045.4.3.2'));
    const name = seq(set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(commonName, 'utf8')))));
    const now = Date.now();
    const validity = seq(utcTime(new Date(now - 86_400_000)), utcTime(new Date(now + 7 * 86_400_000)));
    const serial = randomBytes(8);
    serial[0] = (serial[0]! & 0x7f) | 0x40; // positive, minimal INTEGER (no leading zero byte)
    const san = seq(tlv(0x82, Buffer.from(commonName, 'ascii')), tlv(0x87, Buffer.from([127, 0, 0, 1])));
    const extensions = tlv(0xa3, seq(seq(oid('2.5.29.17'), tlv(0x04, san))));
    const tbs = seq(
      tlv(0xa0, tlv(0x02, Buffer.from([2]))), // version v3
      tlv(0x02, serial),
      ecdsaWithSha256,
      name,
      validity,
      name,
      publicKey.export({ type: 'spki', format: 'der' }),
      extensions,
    );
    const signature = sign('sha256', tbs, privateKey); // DER-encoded ECDSA signature
    const der = seq(tbs, ecdsaWithSha256, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
    this.cert = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
    this.key = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    new X509Certificate(this.cert); // fails loudly if the encoding is wrong
  }
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const n = body.length;
  let len: Buffer;
  if (n < 0x80) len = Buffer.from([n]);
  else if (n < 0x100) len = Buffer.from([0x81, n]);
  else if (n < 0x10000) len = Buffer.from([0x82, n >> 8, n & 0xff]);
  else throw new RangeError(`DER length too large: ${n}`);
  return Buffer.concat([Buffer.from([tag]), len, body]);
}

function seq(...content: Buffer[]): Buffer {
  return tlv(0x30, ...content);
}

function set(...content: Buffer[]): Buffer {
  return tlv(0x31, ...content);
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const bytes: number[] = [40 * parts[0]! + parts[1]!];
  for (const p of parts.slice(2)) {
    const stack = [p & 0x7f];
    for (let v = p >>> 7; v > 0; v >>>= 7) stack.unshift((v & 0x7f) | 0x80);
    bytes.push(...stack);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function utcTime(d: Date): Buffer {
  const p = (n: number): string => String(n).padStart(2, '0');
  const s = `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return tlv(0x17, Buffer.from(s, 'ascii'));
}
