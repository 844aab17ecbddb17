#pragma once

#include "http/requestparser.h"
#include "verify/crypto.h"
#include "verify/jwk.h"
#include "verify/key.h"

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QTest>

// Helpers for the signature tests (tst_cavage, tst_messagesignature, tst_verifier).

inline QByteArray readSignatureData(const QString &relativePath)
{
    QFile file(QStringLiteral(HOOKSCOPE_TEST_DATA "/verify/") + relativePath);
    if (!file.open(QIODevice::ReadOnly)) {
        qWarning("missing test data %s", qPrintable(relativePath));
        return {};
    }
    return file.readAll();
}

// A raw CRLF request through the real parser; an empty request (no method) when it is rejected.
inline Http::CapturedRequest parseHttp(const QByteArray &raw)
{
    Http::RequestParser parser;
    parser.feed(raw);
    if (parser.state() != Http::RequestParser::State::Complete) {
        qWarning("request not complete: %s", qPrintable(parser.rejection().reason));
        return {};
    }
    return parser.takeRequest();
}

// Adds header lines at the end of the head of a raw CRLF request.
inline QByteArray withHeaders(const QByteArray &raw, const QByteArray &lines)
{
    const qsizetype end = raw.indexOf("\r\n\r\n");
    return raw.left(end) + "\r\n" + lines + raw.mid(end);
}

// Replaces the body (and Content-Length) of a raw CRLF request.
inline QByteArray withBody(const QByteArray &raw, const QByteArray &body)
{
    const qsizetype end = raw.indexOf("\r\n\r\n");
    QByteArray head = raw.left(end);
    const qsizetype length = head.indexOf("Content-Length: ");
    if (length >= 0) {
        const qsizetype lineEnd = head.indexOf("\r\n", length);
        head = head.left(length) + "Content-Length: " + QByteArray::number(body.size()) + (lineEnd < 0 ? QByteArray() : head.mid(lineEnd));
    }
    return head + "\r\n\r\n" + body;
}

inline Verify::KeyPtr publicKeyFile(const QString &file, const QString &kid)
{
    auto key = Verify::keyFromPublicPem(readSignatureData(QStringLiteral("keys/") + file), kid, file);
    if (!key)
        qWarning("key %s: %s", qPrintable(file), qPrintable(key.error()));
    return key ? *key : Verify::KeyPtr();
}

inline Verify::KeyPtr privateKeyFile(const QString &file, const QString &kid)
{
    auto key = Verify::keyFromPrivatePem(readSignatureData(QStringLiteral("keys/") + file), kid, file);
    if (!key)
        qWarning("key %s: %s", qPrintable(file), qPrintable(key.error()));
    return key ? *key : Verify::KeyPtr();
}

inline Verify::KeyPtr rfc9421SharedSecret()
{
    return Verify::makeSecretKey(QStringLiteral("test-shared-secret"),
                                 QByteArray::fromBase64(readSignatureData(QStringLiteral("keys/test-shared-secret.b64")).trimmed()));
}

// The keys of RFC 9421 Appendix B.1 under their kids.
inline Verify::KeySet rfc9421Keys()
{
    Verify::KeySet keys;
    keys.add(publicKeyFile(QStringLiteral("test-key-rsa.public.pem"), QStringLiteral("test-key-rsa")));
    keys.add(publicKeyFile(QStringLiteral("test-key-rsa-pss.public.pem"), QStringLiteral("test-key-rsa-pss")));
    keys.add(publicKeyFile(QStringLiteral("test-key-ecc-p256.public.pem"), QStringLiteral("test-key-ecc-p256")));
    keys.add(publicKeyFile(QStringLiteral("test-key-ed25519.public.pem"), QStringLiteral("test-key-ed25519")));
    keys.add(rfc9421SharedSecret());
    return keys;
}
