// The provider's documented Node.js receiver (the webhook validation example on its doc page),
// kept as written, in CommonJS. One change: the doc fetches the JWKS with Axios from the
// provider's URL on every request; here every request reads the local JWKS file instead, the
// closest local equivalent (still per request, without the network round trip).
// Usage: node express-receiver.js JWKS_FILE [PORT]
const bodyParser = require('body-parser');
const crypto = require('crypto');
const express = require('express');
const fs = require('fs');
const httpSignature = require('http-signature');
const jwkToPem = require('jwk-to-pem');

const jwksFile = process.argv[2];
const port = Number(process.argv[3] || 0);

const fetchWebhooksJwks = async () => ({ data: JSON.parse(await fs.promises.readFile(jwksFile, 'utf8')) });

const getWebhooksPublicPem = async (keyId) => {
  const { data: jwks } = await fetchWebhooksJwks();
  const jwk = jwks.keys.find((jwk) => jwk.kid === keyId);

  if (!jwk) {
    throw new Error('The provided keyId did not match any JWK');
  }

  return jwkToPem(jwk);
};

const app = express();

app.use(bodyParser.json());

app.post('/', async function (req, res) {
  const parsed = httpSignature.parseRequest(req);
  const webhooksPem = await getWebhooksPublicPem(parsed.keyId);
  const base64Digest = req.body
    ? crypto
      .createHash('sha256')
      .update(JSON.stringify(req.body))
      .digest('base64')
    : undefined;

  if (base64Digest && `SHA-256=${base64Digest}` !== req.headers.digest) {
    return res.status(400).end();
  }

  if (!httpSignature.verifySignature(parsed, webhooksPem)) {
    return res.status(401).end();
  }

  res.status(200).end();
});

const server = app.listen(port, '127.0.0.1', () => {
  console.log('listening on ' + server.address().port);
});
