#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <expected>

namespace Verify {

/// Why a strict base64 decode failed: a stable code, one sentence and the offset in the input.
struct Base64Error
{
    // "invalid-character", "base64url-character" ('-' or '_' in standard base64),
    // "standard-character" ('+' or '/' in base64url), "missing-padding", "extra-padding",
    // "bad-length", "non-zero-pad-bits"
    QString code;
    QString message;
    qsizetype offset = -1;
};

// Strict standard base64 (RFC 4648 §4): '=' padding required, canonical (zero) pad bits.
std::expected<QByteArray, Base64Error> decodeBase64Strict(QByteArrayView text);
// Strict base64url (RFC 4648 §5) without padding, as JOSE requires (RFC 7515 §2); canonical bits.
std::expected<QByteArray, Base64Error> decodeBase64UrlStrict(QByteArrayView text);
// Accepts either alphabet, missing or extra '=' and non-zero pad bits; fails only on other bytes.
std::expected<QByteArray, Base64Error> decodeBase64Lenient(QByteArrayView text);

QByteArray encodeBase64(QByteArrayView bytes);    // standard, padded
QByteArray encodeBase64Url(QByteArrayView bytes); // base64url, no padding

} // namespace Verify
