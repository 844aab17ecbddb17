#pragma once

// Internal helpers shared by jwk.cpp, crypto.cpp and keysource.cpp; not part of the public API.

#include "verify/key.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <expected>
#include <memory>

using EVP_MD = struct evp_md_st;

namespace Verify::Detail {

// Takes ownership of an EVP_PKEY (nullptr stays nullptr).
std::shared_ptr<EVP_PKEY> adoptPkey(EVP_PKEY *pkey);

// The last OpenSSL error as text, clearing the queue; fallback when the queue is empty.
QString takeOpenSslError(const QString &fallback = QString());

// Fills a Key from an EVP_PKEY: type, curve, bits, thumbprint (RFC 7638) and, for an empty
// kid, the thumbprint as kid. Fails for key types Hookscope does not verify with.
std::expected<Key, QString> describePkey(std::shared_ptr<EVP_PKEY> pkey, const QString &kid,
                                         const QString &source, bool hasPrivate);

// The public JWK members (kty, n/e, crv/x/y, crv/x) of an EVP_PKEY.
std::expected<QJsonObject, QString> publicJwkMembers(EVP_PKEY *pkey);

// The digest named "SHA1", "SHA256", "SHA384" or "SHA512" (nullptr for others), fetched once:
// naming one per call costs a lookup in OpenSSL's method store.
const EVP_MD *fetchedDigest(const char *name);

// The JOSE curve name ("P-256", ...) for an OpenSSL group name, or empty.
QString joseCurveName(const QByteArray &groupName);
QByteArray opensslGroupName(const QString &joseCurve);
int curveFieldBytes(const QString &joseCurve);

} // namespace Verify::Detail
