#pragma once

#include "verify/key.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <expected>

namespace Verify {

// JSON Web Keys (RFC 7517), their algorithms and parameters (RFC 7518 §6), OKP keys (RFC 8037)
// and thumbprints (RFC 7638), plus PEM public keys.

/// A JWKS loaded into a KeySet; keys that could not be used are listed instead of aborting.
struct JwksLoadResult
{
    KeySet keys;
    QStringList errors; // one sentence per rejected key, naming its index and kid
};

// One JWK: RSA (n, e), EC P-256/P-384/P-521 (x, y checked on the curve), OKP Ed25519 (x) or
// oct (k, as a secret). Members use strict base64url without padding. A private JWK is accepted
// but only its public part is kept (Key::note says so) unless keepPrivate is true, in which case
// Key::hasPrivate is set and the key can sign (crypto.h). kid falls back to the thumbprint.
std::expected<KeyPtr, QString> keyFromJwk(const QJsonObject &jwk, const QString &source = {},
                                          bool keepPrivate = false);
std::expected<KeyPtr, QString> keyFromJwkJson(QByteArrayView json, const QString &source = {},
                                              bool keepPrivate = false);

// A JWKS document ({"keys": [...]}). Fails only when the document itself is unusable.
std::expected<JwksLoadResult, QString> keySetFromJwks(QByteArrayView json, const QString &source = {});

// RFC 7638 thumbprint: SHA-256 over the required members in lexicographic order, base64url.
std::expected<QByteArray, QString> jwkThumbprint(const QJsonObject &jwk);

// The public JWK of a key (kty and its public members, plus kid and alg when known). Oct keys
// give {"kty":"oct","k":...} only when includeSecret is true.
std::expected<QJsonObject, QString> keyToPublicJwk(const Key &key, bool includeSecret = false);
// A JWKS document ({"keys":[...]}) with the public JWKs of the keys, compact JSON.
std::expected<QByteArray, QString> keySetToJwks(const KeySet &keys);

// PEM: "PUBLIC KEY" (SPKI, RFC 5280), "RSA PUBLIC KEY" (PKCS#1, RFC 8017 A.1.1) or
// "CERTIFICATE" (the certificate's public key). The thumbprint is computed from the key.
std::expected<KeyPtr, QString> keyFromPublicPem(QByteArrayView pem, const QString &kid = {},
                                                const QString &source = {});
// The public key as SPKI PEM ("-----BEGIN PUBLIC KEY-----", 64-column lines, trailing newline),
// as jwk-to-pem and `openssl pkey -pubout` write it.
std::expected<QByteArray, QString> publicKeyToPem(const Key &key);

} // namespace Verify
