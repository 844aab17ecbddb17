// Makes the verification benchmark's request: a new RSA-2048 key pair, its public JWKS, and one
// 1 KiB JSON webhook signed as the provider signs it (Digest: SHA-256 of the body, draft-cavage
// rsa-sha256 over "(request-target) host date digest"), dated now: every server checks Date with
// its own clock and allows 300 s of skew, which covers the benchmark run.
// Usage: node sign-request.js OUT_DIR
// Writes OUT_DIR/jwks.json, request.lua (for verify.lua), request.http (the raw request, for
// `hookscope verify`) and request.curl (a curl config for a one-off check of each server).
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const out = process.argv[2];
const kid = 'bench-key';
const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
fs.writeFileSync(path.join(out, 'jwks.json'), JSON.stringify({ keys: [jwk] }));

// Compact JSON, exactly 1024 bytes, that JSON.stringify(JSON.parse(body)) gives back byte for
// byte: the documented receiver digests the re-serialized body.
const participants = [];
for (let i = 1; i <= 12; i++) {
  const n = String(i).padStart(3, '0');
  const minute = String(i).padStart(2, '0');
  participants.push({ participant: `p-${n}`, joinedAt: `2026-12-03T10:${minute}:00Z`, seconds: 60 * i });
}
const event = { id: 'c-81', expert: 'e-7', status: 'completed', totalParticipantSeconds: 3723, participants, note: '' };
event.note = 'x'.repeat(1024 - JSON.stringify(event).length);
const body = JSON.stringify(event);
if (body.length !== 1024 || JSON.stringify(JSON.parse(body)) !== body) throw new Error('body is not 1 KiB of canonical JSON');

const method = 'POST';
const target = '/';
const host = 'webhooks.bench.local'; // fixed, so one signature fits every server's port
const date = new Date().toUTCString();
const digest = 'SHA-256=' + crypto.createHash('sha256').update(body).digest('base64');
const signingString = [`(request-target): ${method.toLowerCase()} ${target}`, `host: ${host}`, `date: ${date}`, `digest: ${digest}`].join('\n');
const signature = crypto.sign('sha256', Buffer.from(signingString), privateKey).toString('base64');
const authorization = `Signature keyId="${kid}",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="${signature}"`;
const headers = { Host: host, Date: date, 'Content-Type': 'application/json', Digest: digest, Authorization: authorization };

const lua = (s) => JSON.stringify(s); // the values are printable ASCII without backslashes
fs.writeFileSync(path.join(out, 'request.lua'), 'return {\n  method = "POST",\n  path = ' + lua(target) + ',\n  body = ' + lua(body) +
  ',\n  headers = {\n' + Object.entries(headers).map(([k, v]) => `    [${lua(k)}] = ${lua(v)},`).join('\n') + '\n  },\n}\n');
const head = [`${method} ${target} HTTP/1.1`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), `Content-Length: ${body.length}`];
fs.writeFileSync(path.join(out, 'request.http'), head.join('\r\n') + '\r\n\r\n' + body);
fs.writeFileSync(path.join(out, 'request.body'), body);
fs.writeFileSync(path.join(out, 'request.curl'), Object.entries(headers).map(([k, v]) => `header = ${JSON.stringify(`${k}: ${v}`)}`).join('\n') +
  `\nrequest = "POST"\ndata-binary = "@${path.join(out, 'request.body')}"\n`);
