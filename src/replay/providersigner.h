#pragma once

#include "verify/key.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>

#include <expected>
#include <utility>

namespace Replay {

/// What one signed request carries: the header fields to send, in order.
struct SignedHeaders
{
    QList<std::pair<QByteArray, QByteArray>> fields; // Host, Date, Digest, Content-Type, Authorization
    QByteArray signingString;                        // the bytes the signature covers
};

/// Signs a webhook the way the provider does (its doc page): `Digest: SHA-256=<base64>` over the
/// body (RFC 3230 §4.3.2) and a draft-cavage-12 signature, rsa-sha256 over
/// `(request-target) host date digest`, in an `Authorization: Signature ...` header. Pure: the
/// same inputs give the same headers (RSA PKCS#1 v1.5 is deterministic).
class ProviderSigner final
{
public:
    struct Input
    {
        QByteArray method = QByteArrayLiteral("POST");
        QByteArray target;   // request-target as sent, e.g. "/webhooks?x=1"
        QByteArray host;     // Host header value (host, plus ":port" when not the default)
        QDateTime date;      // formatted as an RFC 7231 §7.1.1.1 IMF-fixdate
        QByteArray body;
        QByteArray contentType = QByteArrayLiteral("application/json");
    };

    ProviderSigner(Verify::KeyPtr key, QString keyId);

    std::expected<SignedHeaders, QString> sign(const Input &input) const;

    const QString &keyId() const { return m_keyId; }

    /// RFC 7231 §7.1.1.1 IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT" (English names,
    /// whatever the locale).
    static QByteArray imfFixdate(const QDateTime &time);

private:
    Verify::KeyPtr m_key;
    QString m_keyId;
};

} // namespace Replay
