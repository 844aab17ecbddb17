// Signs webhook requests with independent libraries (joyent http-signature 1.4 for draft-cavage,
// http-message-signatures 1.0 for RFC 9421) and writes, into OUTDIR: one raw .http file per case,
// jwks.json (public keys), and expected.json (the verdict and problem codes hookscope must give).
// Usage: node sign-requests.mjs OUTDIR
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const httpSignature = require('http-signature');
const { httpbis, createSigner } = require('http-message-signatures');

const outDir = process.argv[2];
if (!outDir) {
  console.error('usage: node sign-requests.mjs OUTDIR');
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });

// A fixed clock: every Date/created is this instant and hookscope runs with --now at it.
const NOW = new Date('2024-05-20T12:00:00Z');
Date.now = () => NOW.getTime();

const keys = {
  'rsa-1': crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }),
  'ec-p256': crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  'ec-p384': crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' }),
  'ed-1': crypto.generateKeyPairSync('ed25519'),
};
const secrets = {
  'hmac-1': crypto.randomBytes(24).toString('hex'),
};
const jwks = { keys: Object.entries(keys).map(([kid, pair]) => ({ ...pair.publicKey.export({ format: 'jwk' }), kid })) };
fs.writeFileSync(path.join(outDir, 'jwks.json'), JSON.stringify(jwks, null, 2));

const HOST = 'hooks.example.test';
const TARGET = '/webhooks/skillspring?source=interop';
const sha256 = (bytes) => crypto.createHash('sha256').update(bytes).digest('base64');
const sha512 = (bytes) => crypto.createHash('sha512').update(bytes).digest('base64');
const compact = (object) => Buffer.from(JSON.stringify(object));
const payload = { id: 'conv_123', expert: 'exp_9', status: 'completed', totalParticipantSeconds: 1.5e3, note: 'caf\u00e9 \u2713' };

// Writes a raw request: request line, CRLF header lines (in order), empty line, body bytes.
function raw(method, target, headerList, body) {
  const head = [`${method} ${target} HTTP/1.1`, ...headerList.map(([n, v]) => `${n}: ${v}`)].join('\r\n');
  return Buffer.concat([Buffer.from(head + '\r\n\r\n', 'latin1'), body]);
}

// A ClientRequest stand-in for http-signature's signRequest (getHeader/setHeader/method/path).
function fakeRequest(method, target, headerList) {
  const list = headerList.map(([n, v]) => [n, v]);
  return {
    method,
    path: target,
    list,
    getHeader(name) {
      const found = list.find(([n]) => n.toLowerCase() === name.toLowerCase());
      return found ? found[1] : undefined;
    },
    setHeader(name, value) {
      const found = list.find(([n]) => n.toLowerCase() === name.toLowerCase());
      if (found) found[1] = value;
      else list.push([name, value]);
    },
  };
}

const cases = [];
function add(name, bytes, expected) {
  fs.writeFileSync(path.join(outDir, `${name}.http`), bytes);
  cases.push({ file: `${name}.http`, policy: 'strict', problems: [], absentProblems: [], diagnoses: [], args: [], ...expected });
}

// ---- draft-cavage with joyent http-signature --------------------------------------------------
function cavage({ kid = 'rsa-1', algorithm = 'rsa-sha256', key, body = compact(payload),
                  headers = ['(request-target)', 'host', 'date', 'digest'], date = NOW, digestOf,
                  headerName, host = HOST, signedHost }) {
  const list = [['Host', signedHost ?? host], ['Date', date.toUTCString()], ['Content-Type', 'application/json'],
                ['Digest', `SHA-256=${sha256(digestOf ?? body)}`], ['Content-Length', String(body.length)]];
  const request = fakeRequest('POST', TARGET, list);
  httpSignature.signRequest(request, { keyId: kid, algorithm, headers, authorizationHeaderName: headerName,
    key: key ?? keys[kid]?.privateKey.export({ type: 'pkcs8', format: 'pem' }) });
  request.list[0][1] = host; // what arrived may differ from what was signed
  return { list: request.list, body };
}
const bytesOf = ({ list, body }) => raw('POST', TARGET, list, body);
const joyentKey = (kid) => keys[kid].privateKey.export({ type: 'pkcs8', format: 'pem' });

for (const [algorithm, kid] of [['rsa-sha256', 'rsa-1'], ['rsa-sha512', 'rsa-1'], ['ecdsa-sha256', 'ec-p256']])
  add(`cavage-${algorithm}`, bytesOf(cavage({ algorithm, kid, key: joyentKey(kid) })), { verdict: 'verified', scheme: 'cavage' });
add('cavage-rsa-sha1-weak', bytesOf(cavage({ algorithm: 'rsa-sha1' })), { verdict: 'failed', signatureStatus: 'verified', problems: ['algorithm-weak'] });
for (const algorithm of ['hmac-sha256', 'hmac-sha512'])
  add(`cavage-${algorithm}`, bytesOf(cavage({ kid: 'hmac-1', algorithm, key: secrets['hmac-1'] })), { verdict: 'verified' });
add('cavage-signature-header', bytesOf(cavage({ headerName: 'Signature' })), { verdict: 'verified' });

// the provider's documented receiver compares the digest with JSON.stringify(req.body)
add('cavage-joyent-policy-compact', bytesOf(cavage({ headers: ['(request-target)', 'host', 'date', 'digest'] })),
    { verdict: 'verified', policy: 'http-signature' });
const pretty = Buffer.from(JSON.stringify(payload, null, 2));
add('cavage-pretty-body-strict', bytesOf(cavage({ body: pretty })), { verdict: 'verified' });
add('cavage-pretty-body-joyent', bytesOf(cavage({ body: pretty })),
    { verdict: 'failed', policy: 'http-signature', problems: ['digest-mismatch', 'digest-json-stringify-mismatch'] });
// the sender hashed JSON.stringify of the body but sent it pretty-printed
add('cavage-reserialized-strict', bytesOf(cavage({ body: pretty, digestOf: compact(payload) })),
    { verdict: 'failed', signatureStatus: 'verified', problems: ['digest-mismatch', 'body-reserialized'], diagnoses: ['body-reserialized'] });
add('cavage-reserialized-joyent', bytesOf(cavage({ body: pretty, digestOf: compact(payload) })),
    { verdict: 'verified', policy: 'http-signature', problems: ['body-reserialized'] });

// tampering
{
  const signed = cavage({});
  add('cavage-tampered-body', bytesOf({ list: signed.list.map(([n, v]) => [n, n === 'Content-Length' ? String(signed.body.length + 1) : v]),
                                         body: Buffer.concat([signed.body.subarray(0, -1), Buffer.from(' }')]) }),
      { verdict: 'failed', signatureStatus: 'verified', problems: ['digest-mismatch'] });
  const unsigned = cavage({ headers: ['(request-target)', 'host', 'date'] });
  const evil = compact({ ...payload, status: 'refunded' });
  add('cavage-digest-unsigned-replaced', bytesOf({ list: unsigned.list.map(([n, v]) => [n, n === 'Digest' ? `SHA-256=${sha256(evil)}` : n === 'Content-Length' ? String(evil.length) : v]), body: evil }),
      { verdict: 'failed', signatureStatus: 'verified', problems: ['digest-not-signed'], absentProblems: ['digest-mismatch'] });
  // the documented receiver accepts that forgery: date signed, digest equals JSON.stringify of the body
  add('cavage-digest-unsigned-replaced-joyent', bytesOf({ list: unsigned.list.map(([n, v]) => [n, n === 'Digest' ? `SHA-256=${sha256(evil)}` : n === 'Content-Length' ? String(evil.length) : v]), body: evil }),
      { verdict: 'verified', policy: 'http-signature', problems: ['digest-not-signed'] });
  const both = cavage({});
  add('cavage-body-and-digest-replaced', bytesOf({ list: both.list.map(([n, v]) => [n, n === 'Digest' ? `SHA-256=${sha256(evil)}` : n === 'Content-Length' ? String(evil.length) : v]), body: evil }),
      { verdict: 'failed', signatureStatus: 'invalid', problems: ['signature-mismatch'] });
}
add('cavage-wrong-kid', bytesOf(cavage({ kid: 'rotated-away', key: joyentKey('rsa-1') })),
    { verdict: 'failed', signatureStatus: 'key-unknown', problems: ['key-unknown'] });
add('cavage-skewed-date', bytesOf(cavage({ date: new Date(NOW.getTime() - 412000) })),
    { verdict: 'failed', signatureStatus: 'verified', problems: ['clock-skew'] });
add('cavage-skewed-date-joyent', bytesOf(cavage({ date: new Date(NOW.getTime() - 412000) })),
    { verdict: 'failed', policy: 'http-signature', problems: ['clock-skew'] });
add('cavage-host-port', bytesOf(cavage({ signedHost: `${HOST}:8443` })),
    { verdict: 'failed', signatureStatus: 'invalid', problems: ['signature-mismatch'], diagnoses: ['host-mismatch'] });
add('cavage-no-date-joyent', bytesOf(cavage({ headers: ['(request-target)', 'host', 'digest'] })),
    { verdict: 'failed', policy: 'http-signature', problems: ['component-not-signed'] });
{
  // algorithm confusion: hmac-sha256 keyed with the RSA public key's PEM, claimed for the RSA kid
  const pem = keys['rsa-1'].publicKey.export({ type: 'spki', format: 'pem' });
  add('cavage-algorithm-confusion', bytesOf(cavage({ kid: 'rsa-1', algorithm: 'hmac-sha256', key: pem })),
      { verdict: 'failed', problems: ['algorithm-mismatch'], absentProblems: ['signature-mismatch'] });
}

// ---- RFC 9421 with http-message-signatures ----------------------------------------------------
async function rfc9421({ kid, alg, body = compact(payload), fields = ['@method', '@authority', '@path', 'content-digest', 'content-type'],
                         paramValues = {}, signer, url = `https://${HOST}${TARGET}` }) {
  const headers = { Host: HOST, 'Content-Type': 'application/json', 'Content-Digest': `sha-512=:${sha512(body)}:`, 'Content-Length': String(body.length) };
  const key = signer ?? createSigner(kid === 'hmac-1' ? Buffer.from(secrets[kid]) : keys[kid].privateKey, alg, kid);
  const signed = await httpbis.signMessage({ key, fields, paramValues: { created: NOW, expires: new Date(NOW.getTime() + 300000), ...paramValues } },
                                           { method: 'POST', url, headers });
  return { list: Object.entries(signed.headers), body };
}
const rfcBytes = ({ list, body }) => raw('POST', TARGET, list, body);

for (const [alg, kid] of [['ed25519', 'ed-1'], ['ecdsa-p256-sha256', 'ec-p256'], ['ecdsa-p384-sha384', 'ec-p384'], ['rsa-v1_5-sha256', 'rsa-1'], ['hmac-sha256', 'hmac-1']])
  add(`rfc9421-${alg}`, rfcBytes(await rfc9421({ kid, alg })), { verdict: 'verified', scheme: 'rfc9421' });
// the library signs RSA-PSS with Node's default (maximum) salt length, not the 64 bytes RFC 9421 §3.3.1 requires
add('rfc9421-rsa-pss-sha512-library-salt', rfcBytes(await rfc9421({ kid: 'rsa-1', alg: 'rsa-pss-sha512' })),
    { verdict: 'failed', problems: ['signature-mismatch', 'pss-salt-length'] });
{
  const pss64 = { id: 'rsa-1', alg: 'rsa-pss-sha512', sign: async (data) => crypto.sign('sha512', data, { key: keys['rsa-1'].privateKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 }) };
  add('rfc9421-rsa-pss-sha512-salt64', rfcBytes(await rfc9421({ signer: pss64 })), { verdict: 'verified' });
}
add('rfc9421-target-uri-https', rfcBytes(await rfc9421({ kid: 'ed-1', alg: 'ed25519', fields: ['@method', '@target-uri', '@scheme', '@query-param;name="source"', 'content-digest'] })),
    { verdict: 'verified', args: ['--scheme', 'https'] });
add('rfc9421-target-uri-wrong-scheme', rfcBytes(await rfc9421({ kid: 'ed-1', alg: 'ed25519', fields: ['@method', '@target-uri', 'content-digest'] })),
    { verdict: 'failed', problems: ['signature-mismatch'], diagnoses: ['scheme-mismatch'] });
{
  const signed = await rfc9421({ kid: 'ed-1', alg: 'ed25519' });
  const evil = compact({ ...payload, status: 'refunded' });
  add('rfc9421-tampered-body', rfcBytes({ list: signed.list.map(([n, v]) => [n, n === 'Content-Length' ? String(evil.length) : v]), body: evil }),
      { verdict: 'failed', signatureStatus: 'verified', problems: ['digest-mismatch'] });
}
add('rfc9421-expired', rfcBytes(await rfc9421({ kid: 'ed-1', alg: 'ed25519', paramValues: { created: new Date(NOW.getTime() - 120000), expires: new Date(NOW.getTime() - 60000) } })),
    { verdict: 'failed', signatureStatus: 'verified', problems: ['signature-expired'] });
add('rfc9421-wrong-keyid', rfcBytes(await rfc9421({ kid: 'ed-1', alg: 'ed25519', paramValues: { keyid: 'nobody' } })),
    { verdict: 'failed', signatureStatus: 'key-unknown', problems: ['key-unknown'] });
add('rfc9421-digest-not-covered', rfcBytes(await rfc9421({ kid: 'ed-1', alg: 'ed25519', fields: ['@method', '@authority', '@path'] })),
    { verdict: 'failed', signatureStatus: 'verified', problems: ['digest-not-signed'] });

fs.writeFileSync(path.join(outDir, 'expected.json'),
                 JSON.stringify({ now: NOW.toISOString(), secrets, cases }, null, 2));
console.error(`signed ${cases.length} requests into ${outDir}`);
