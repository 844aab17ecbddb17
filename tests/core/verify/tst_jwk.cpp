#include "testdata.h"

#include "verify/crypto.h"
#include "verify/jwk.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Verify;

namespace {

QJsonObject jsonObject(const QString &path)
{
    return QJsonDocument::fromJson(readVerifyData(path)).object();
}

} // namespace

/// JWK / JWKS loading, thumbprints and PEM conversion against published vectors.
class TestJwk final : public QObject
{
    Q_OBJECT

private slots:
    void rfc7638Thumbprints()
    {
        auto loaded = keySetFromJwks(readVerifyData(QStringLiteral("jwk/rfc7517-A.1-public.jwks.json")));
        QVERIFY2(loaded, qPrintable(errorOf(loaded)));
        QVERIFY2(loaded->errors.isEmpty(), qPrintable(loaded->errors.join(u'\n')));
        const QJsonArray expected = jsonObject(QStringLiteral("jwk/rfc7638-thumbprints-of-rfc7517-A.1.json"))
                                        .value(QStringLiteral("thumbprints")).toArray();
        QCOMPARE(loaded->keys.keys().size(), 2);
        QCOMPARE(expected.size(), 2);
        // Both the JWK-member thumbprint and the one recomputed from the parsed EVP key agree.
        const QJsonArray jwks = jsonObject(QStringLiteral("jwk/rfc7517-A.1-public.jwks.json")).value(QStringLiteral("keys")).toArray();
        for (int i = 0; i < 2; ++i) {
            QCOMPARE(jwkThumbprint(jwks.at(i).toObject()).value(), expected.at(i).toString().toLatin1());
            QCOMPARE(loaded->keys.keys().at(i)->thumbprint, expected.at(i).toString().toLatin1());
        }
        const KeyPtr ec = loaded->keys.find(QStringLiteral("1"));
        QVERIFY(ec);
        QCOMPARE(ec->type, KeyType::Ec);
        QCOMPARE(ec->curve, QStringLiteral("P-256"));
        const KeyPtr rsa = loaded->keys.find(QStringLiteral("2011-04-29"));
        QVERIFY(rsa);
        QCOMPARE(rsa->type, KeyType::Rsa);
        QCOMPARE(rsa->bits, 2048);
        QCOMPARE(rsa->jwkAlg, QStringLiteral("RS256"));
    }

    void jwksExport()
    {
        auto loaded = keySetFromJwks(readVerifyData(QStringLiteral("jwk/rfc7517-A.1-public.jwks.json")));
        QVERIFY(loaded);
        auto document = keySetToJwks(loaded->keys);
        QVERIFY2(document, qPrintable(errorOf(document)));
        auto reloaded = keySetFromJwks(*document);
        QVERIFY(reloaded);
        QCOMPARE(reloaded->keys.kids(), loaded->keys.kids());
        for (qsizetype i = 0; i < loaded->keys.keys().size(); ++i)
            QCOMPARE(reloaded->keys.keys().at(i)->thumbprint, loaded->keys.keys().at(i)->thumbprint);
        // Secrets never leak into a published JWKS.
        KeySet withSecret = loaded->keys;
        withSecret.add(keyFromJwkJson(readVerifyData(QStringLiteral("jwk/rfc7520-3.5-hmac.jwk.json"))).value());
        QVERIFY(!keySetToJwks(withSecret));
    }

    void rfc8037Thumbprint()
    {
        auto key = keyFromJwkJson(readVerifyData(QStringLiteral("jwk/rfc8037-A.2-ed25519-public.jwk.json")));
        QVERIFY2(key, qPrintable(errorOf(key)));
        QCOMPARE((*key)->type, KeyType::Ed25519);
        const QByteArray expected = jsonObject(QStringLiteral("jwk/rfc8037-A.3-thumbprint.json"))
                                        .value(QStringLiteral("thumbprint_sha256_b64url")).toString().toLatin1();
        QCOMPARE((*key)->thumbprint, expected);
        QCOMPARE((*key)->kid, QString::fromLatin1(expected)); // no kid: the thumbprint stands in
    }

    void pemExport_data()
    {
        QTest::addColumn<QString>("jwkFile");
        QTest::addColumn<QString>("kid");
        QTest::addColumn<QString>("pemFile");
        QTest::newRow("A.1 EC P-256") << "jwk/rfc7517-A.1-public.jwks.json" << "1" << "jwk/derived-pem/rfc7517-A.1-ec-p256-kid-1.public.pem";
        QTest::newRow("A.1 RSA") << "jwk/rfc7517-A.1-public.jwks.json" << "2011-04-29" << "jwk/derived-pem/rfc7517-A.1-rsa-kid-2011-04-29.public.pem";
        QTest::newRow("7520 3.1 P-521") << "jwk/rfc7520-3.1-ec-p521-public.jwk.json" << "" << "jwk/derived-pem/rfc7520-3.1-ec-p521.public.pem";
        QTest::newRow("7520 3.3 RSA") << "jwk/rfc7520-3.3-rsa-public.jwk.json" << "" << "jwk/derived-pem/rfc7520-3.3-rsa.public.pem";
        QTest::newRow("8037 A.2 Ed25519") << "jwk/rfc8037-A.2-ed25519-public.jwk.json" << "" << "jwk/derived-pem/rfc8037-A.2-ed25519.public.pem";
        QTest::newRow("jwcrypto P-256") << "jwk/jwcrypto-tests-ec-p256-public.jwk.json" << "" << "jwk/jwcrypto-tests-ec-p256-public.pem";
    }

    void pemExport()
    {
        QFETCH(QString, jwkFile);
        QFETCH(QString, kid);
        QFETCH(QString, pemFile);
        const QByteArray document = readVerifyData(jwkFile);
        KeyPtr key;
        if (kid.isEmpty()) {
            auto single = keyFromJwkJson(document);
            QVERIFY2(single, qPrintable(errorOf(single)));
            key = *single;
        } else {
            key = keySetFromJwks(document)->keys.find(kid);
        }
        QVERIFY(key);
        auto pem = publicKeyToPem(*key);
        QVERIFY2(pem, qPrintable(errorOf(pem)));
        QCOMPARE(pem->trimmed(), readVerifyData(pemFile).trimmed());
        // And back: the PEM loads to a key with the same thumbprint.
        auto reloaded = keyFromPublicPem(*pem);
        QVERIFY2(reloaded, qPrintable(errorOf(reloaded)));
        QCOMPARE((*reloaded)->thumbprint, key->thumbprint);
        auto jwk = keyToPublicJwk(**reloaded);
        QVERIFY(jwk);
        QCOMPARE(jwkThumbprint(*jwk).value(), key->thumbprint);
    }

    void pemForms()
    {
        // PKCS#1 "RSA PUBLIC KEY" (RFC 9421 B.1.1) and SPKI give the same key as the JWK.
        auto pkcs1 = keyFromPublicPem(readVerifyData(QStringLiteral("keys/test-key-rsa.public.pem")), QStringLiteral("test-key-rsa"));
        QVERIFY2(pkcs1, qPrintable(errorOf(pkcs1)));
        auto jwk = keyFromJwkJson(readVerifyData(QStringLiteral("keys/test-key-rsa.private.jwk.json")));
        QVERIFY2(jwk, qPrintable(errorOf(jwk)));
        QCOMPARE((*pkcs1)->thumbprint, (*jwk)->thumbprint);
        QCOMPARE((*pkcs1)->kid, QStringLiteral("test-key-rsa"));
        QVERIFY(!(*jwk)->hasPrivate);
        QVERIFY((*jwk)->note.contains(QStringLiteral("public part")));
        auto ec = keyFromPublicPem(readVerifyData(QStringLiteral("keys/test-key-ecc-p256.public.pem")));
        QVERIFY2(ec, qPrintable(errorOf(ec)));
        QCOMPARE((*ec)->curve, QStringLiteral("P-256"));
        QVERIFY(!keyFromPublicPem(QByteArrayLiteral("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")));
    }

    void symmetricJwks()
    {
        auto loaded = keySetFromJwks(readVerifyData(QStringLiteral("jwk/rfc7517-A.3-symmetric.jwks.json")));
        QVERIFY2(loaded, qPrintable(errorOf(loaded)));
        QVERIFY(!loaded->keys.isEmpty());
        for (const KeyPtr &key : loaded->keys.keys()) {
            QCOMPARE(key->type, KeyType::Oct);
            QVERIFY(!key->secret.isEmpty());
        }
    }

    void privateJwks()
    {
        auto loaded = keySetFromJwks(readVerifyData(QStringLiteral("jwk/rfc7517-A.2-private.jwks.json")));
        QVERIFY2(loaded, qPrintable(errorOf(loaded)));
        QVERIFY2(loaded->errors.isEmpty(), qPrintable(loaded->errors.join(u'\n')));
        for (const KeyPtr &key : loaded->keys.keys())
            QVERIFY(!key->hasPrivate);
        auto signer = keyFromJwkJson(readVerifyData(QStringLiteral("jwk/rfc7520-3.2-ec-p521-private.jwk.json")), {}, true);
        QVERIFY2(signer, qPrintable(errorOf(signer)));
        QVERIFY((*signer)->hasPrivate);
    }

    void brokenKeysAreCollected()
    {
        QJsonArray keys = jsonObject(QStringLiteral("jwk/rfc7517-A.1-public.jwks.json")).value(QStringLiteral("keys")).toArray();
        QJsonObject offCurve = keys.at(0).toObject();
        QString y = offCurve.value(QStringLiteral("y")).toString();
        y[3] = y[3] == u'A' ? u'B' : u'A';
        offCurve.insert(QStringLiteral("y"), y);
        offCurve.insert(QStringLiteral("kid"), QStringLiteral("off-curve"));
        QJsonObject padded = keys.at(1).toObject();
        padded.insert(QStringLiteral("e"), QStringLiteral("AQAB="));
        padded.insert(QStringLiteral("kid"), QStringLiteral("padded"));
        QJsonObject unknownType{{QStringLiteral("kty"), QStringLiteral("XYZ")}, {QStringLiteral("kid"), QStringLiteral("odd")}};
        keys.append(offCurve);
        keys.append(padded);
        keys.append(unknownType);
        const QByteArray document = QJsonDocument(QJsonObject{{QStringLiteral("keys"), keys}}).toJson();
        auto loaded = keySetFromJwks(document);
        QVERIFY(loaded);
        QCOMPARE(loaded->keys.keys().size(), 2);
        QCOMPARE(loaded->errors.size(), 3);
        QVERIFY(loaded->errors.at(0).contains(QStringLiteral("off-curve")));
        QVERIFY(loaded->errors.at(0).contains(QStringLiteral("curve")));
        QVERIFY(loaded->errors.at(1).contains(QStringLiteral("base64url")));
        QVERIFY(!keySetFromJwks(QByteArrayLiteral("{\"nokeys\":[]}")));
        QVERIFY(!keySetFromJwks(QByteArrayLiteral("{")));
    }

    void jwsRs256()
    {
        // RFC 7520 §4.1: RS256 over "protected.payload" with the §3.3 key.
        const QJsonObject jws = jsonObject(QStringLiteral("jwk/rfc7520-4.1-rs256-jws.json"));
        auto key = keyFromJwkJson(readVerifyData(QStringLiteral("jwk/rfc7520-3.3-rsa-public.jwk.json")));
        QVERIFY2(key, qPrintable(errorOf(key)));
        verifyJws(**key, SignatureAlgorithm::RsaV15Sha256, jws);
    }

    void jwsHs256()
    {
        const QJsonObject jws = jsonObject(QStringLiteral("jwk/rfc7520-4.4-hs256-jws.json"));
        auto key = keyFromJwkJson(readVerifyData(QStringLiteral("jwk/rfc7520-3.5-hmac.jwk.json")));
        QVERIFY2(key, qPrintable(errorOf(key)));
        verifyJws(**key, SignatureAlgorithm::HmacSha256, jws);
    }

    void jwsEd25519()
    {
        // RFC 8037 A.4, compact serialization.
        const QByteArray compact = jsonObject(QStringLiteral("jwk/rfc8037-A.4-ed25519-jws.json"))
                                       .value(QStringLiteral("jws_compact")).toString().toLatin1();
        const QList<QByteArray> parts = compact.split('.');
        QCOMPARE(parts.size(), 3);
        auto key = keyFromJwkJson(readVerifyData(QStringLiteral("jwk/rfc8037-A.2-ed25519-public.jwk.json")));
        QVERIFY(key);
        const QByteArray input = parts[0] + '.' + parts[1];
        const QByteArray signature = QByteArray::fromBase64(parts[2], QByteArray::Base64UrlEncoding);
        QVERIFY(verifySignature(**key, SignatureAlgorithm::Ed25519, input, signature).ok);
        QVERIFY(!verifySignature(**key, SignatureAlgorithm::Ed25519, QByteArray(input + 'x'), signature).ok);
        // Re-signing with the RFC 8037 A.1 private key gives the same bytes (Ed25519 is deterministic).
        auto signer = keyFromJwkJson(readVerifyData(QStringLiteral("jwk/rfc8037-A.1-ed25519-private.jwk.json")), {}, true);
        QVERIFY2(signer, qPrintable(errorOf(signer)));
        QCOMPARE(signData(**signer, SignatureAlgorithm::Ed25519, input).value(), signature);
    }

private:
    void verifyJws(const Key &key, SignatureAlgorithm algorithm, const QJsonObject &jws)
    {
        const QByteArray input = jws.value(QStringLiteral("protected_b64url")).toString().toLatin1() + '.'
                                 + jws.value(QStringLiteral("payload_b64url")).toString().toLatin1();
        const QByteArray signature = QByteArray::fromBase64(jws.value(QStringLiteral("signature_b64url")).toString().toLatin1(),
                                                            QByteArray::Base64UrlEncoding);
        const SignatureCheck good = verifySignature(key, algorithm, input, signature);
        QVERIFY2(good.ok, qPrintable(good.message));
        const SignatureCheck bad = verifySignature(key, algorithm, input.chopped(1), signature);
        QVERIFY(!bad.ok);
        QCOMPARE(bad.code, QStringLiteral("signature-mismatch"));
    }
};

QTEST_GUILESS_MAIN(TestJwk)
#include "tst_jwk.moc"
