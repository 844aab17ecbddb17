#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <expected>
#include <optional>
#include <utility>

namespace Verify {

/// The parameters of a draft-cavage signature (draft-cavage-http-signatures-10..12 §2.1),
/// from `Authorization: Signature <params>` or a `Signature: <params>` header.
struct CavageParameters
{
    QByteArray keyId;
    QByteArray algorithm;          // as sent; empty when absent (then derived from the key)
    QList<QByteArray> headers;     // lowercased; ["date"] when the parameter is absent (§2.1.6)
    bool headersGiven = false;
    QByteArray signature;          // base64, as sent
    std::optional<qint64> created; // §2.1.4
    std::optional<qint64> expires; // §2.1.5
    QList<std::pair<QByteArray, QByteArray>> all; // every parameter in order, names lowercased
};

// Parses an auth-param list (§2.1, RFC 7235 §2.1): `name=value` pairs separated by commas with
// optional whitespace; values are quoted strings (backslash escapes) or tokens. Duplicate or
// unknown-syntax parameters, a missing keyId or signature, and a non-integer created/expires
// are errors (one sentence). defaultHeader is used when `headers` is absent.
std::expected<CavageParameters, QString> parseCavageParameters(QByteArrayView params,
                                                               const QByteArray &defaultHeader = QByteArrayLiteral("date"));
// An Authorization value: the scheme "Signature" (case-insensitive, RFC 7235 §2.1) then params.
// Returns std::nullopt-like error text "not-signature-scheme" when the scheme is something else.
std::expected<CavageParameters, QString> parseCavageAuthorization(QByteArrayView authorization,
                                                                  const QByteArray &defaultHeader = QByteArrayLiteral("date"));
bool isSignatureAuthorization(QByteArrayView authorization);

// What joyent http-signature 1.4's parseRequest would say about this header value, which it
// parses with a stricter state machine (no whitespace after commas, letters-only names, unquoted
// values digits only) and only a fixed list of algorithms. Empty when it would accept it.
QString joyentParseError(QByteArrayView headerValue, bool isAuthorization);

} // namespace Verify
