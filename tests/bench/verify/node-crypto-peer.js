// The node:crypto peer: the same checks hookscope listen makes on the benchmark request, written
// directly on node:http and node:crypto with the key parsed once (as hookscope caches it):
// Digest = SHA-256 of the raw body (else 400), then the draft-cavage rsa-sha256 signature over
// its listed headers with the JWKS key named by keyId, and Date within 300 s (else 401). No store.
// Usage: node node-crypto-peer.js JWKS_FILE [PORT]
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');

const keys = new Map();
for (const jwk of JSON.parse(fs.readFileSync(process.argv[2], 'utf8')).keys)
  keys.set(jwk.kid, crypto.createPublicKey({ key: jwk, format: 'jwk' }));
const port = Number(process.argv[3] || 0);

function parseSignature(header) {
  if (!header || !header.startsWith('Signature ')) return null;
  const params = {};
  for (const m of header.slice(10).matchAll(/\s*([A-Za-z]+)="([^"]*)"\s*(?:,|$)/g)) params[m[1]] = m[2];
  return params.keyId && params.signature ? params : null;
}

function verified(req, body) {
  const digest = 'SHA-256=' + crypto.createHash('sha256').update(body).digest('base64');
  if (req.headers.digest !== digest) return 400;
  const params = parseSignature(req.headers.authorization);
  if (!params || params.algorithm !== 'rsa-sha256') return 401;
  const key = keys.get(params.keyId);
  const date = Date.parse(req.headers.date);
  if (!key || !(Math.abs(Date.now() - date) <= 300000)) return 401;
  const covered = (params.headers || 'date').split(' ');
  if (!covered.includes('digest') || !covered.includes('date')) return 401;
  const lines = [];
  for (const name of covered) {
    if (name === '(request-target)') lines.push(`(request-target): ${req.method.toLowerCase()} ${req.url}`);
    else if (req.headers[name] === undefined) return 401;
    else lines.push(`${name}: ${req.headers[name]}`);
  }
  const ok = crypto.verify('sha256', Buffer.from(lines.join('\n')), key, Buffer.from(params.signature, 'base64'));
  return ok ? 200 : 401;
}

http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    res.writeHead(verified(req, Buffer.concat(chunks)), { 'Content-Length': '0' });
    res.end();
  });
}).listen(port, '127.0.0.1', function () { console.log('listening on ' + this.address().port); });
