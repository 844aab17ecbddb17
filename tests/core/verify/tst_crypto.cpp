#include "testdata.h"

#include "verify/crypto.h"
#include "verify/jwk.h"

#include <QTest>

#include <openssl/evp.h>
#include <openssl/rsa.h>

using namespace Verify;

namespace {

KeyPtr publicPem(const char *file, const char *kid)
{
    auto key = keyFromPublicPem(readVerifyData(QStringLiteral("keys/") + QLatin1String(file)), QLatin1String(kid));
    return key ? *key : KeyPtr();
}

KeyPtr privatePem(const char *file)
{
    auto key = keyFromPrivatePem(readVerifyData(QStringLiteral("keys/") + QLatin1String(file)));
    return key ? *key : KeyPtr();
}

KeyPtr sharedSecret()
{
    return makeSecretKey(QStringLiteral("test-shared-secret"),
                         QByteArray::fromBase64(readVerifyData(QStringLiteral("keys/test-shared-secret.b64")).trimmed()));
}

QByteArray base(const char *example) { return readVerifyData(QStringLiteral("keys/signatures/%1/signature-base.txt").arg(QLatin1String(example))); }
QByteArray signature(const char *example)
{
    return QByteArray::fromBase64(readVerifyData(QStringLiteral("keys/signatures/%1/signature.b64").arg(QLatin1String(example))).trimmed());
}

} // namespace

/// Signature primitives against RFC 9421 and draft-cavage vectors, plus algorithm-confusion checks.
class TestCrypto final : public QObject
{
    Q_OBJECT

private slots:
    void rfc9421Vectors_data()
    {
        QTest::addColumn<QString>("example");
        QTest::addColumn<QString>("keyFile");
        QTest::addColumn<QString>("algorithm");
        QTest::newRow("B.2.1 rsa-pss") << "b21-minimal-rsa-pss" << "test-key-rsa-pss.public.pem" << "rsa-pss-sha512";
        QTest::newRow("B.2.4 ecdsa raw") << "b24-response-ecdsa-p256" << "test-key-ecc-p256.public.pem" << "ecdsa-p256-sha256";
        QTest::newRow("B.2.6 ed25519") << "b26-ed25519" << "test-key-ed25519.public.pem" << "ed25519";
        QTest::newRow("4.3 rsa-v1_5") << "s4.3-proxy-rsa-v1_5" << "test-key-rsa.public.pem" << "rsa-v1_5-sha256";
        QTest::newRow("cavage C.2 rsa-sha256") << "cavage12-c2-basic" << "cavage-test-key.public.pem" << "rsa-v1_5-sha256";
    }

    void rfc9421Vectors()
    {
        QFETCH(QString, example);
        QFETCH(QString, keyFile);
        QFETCH(QString, algorithm);
        const KeyPtr key = publicPem(keyFile.toLatin1().constData(), "k");
        QVERIFY(key);
        const auto alg = signatureAlgorithmFromName(algorithm);
        QVERIFY(alg);
        const QString baseFile = example.startsWith(u"cavage") ? QStringLiteral("signing-string.txt") : QStringLiteral("signature-base.txt");
        const QByteArray data = readVerifyData(QStringLiteral("keys/signatures/%1/%2").arg(example, baseFile));
        const QByteArray sig = signature(example.toLatin1().constData());
        QVERIFY(!data.isEmpty() && !sig.isEmpty());
        const SignatureCheck good = verifySignature(*key, *alg, data, sig);
        QVERIFY2(good.ok, qPrintable(good.message));
        QCOMPARE(good.weakKey, key->type == KeyType::Rsa && key->bits < 2048);
        QByteArray tampered = data;
        tampered[tampered.size() / 2] = char(tampered[tampered.size() / 2] ^ 1);
        const SignatureCheck bad = verifySignature(*key, *alg, tampered, sig);
        QVERIFY(!bad.ok);
        QCOMPARE(bad.code, QStringLiteral("signature-mismatch"));
    }

    void hmacVector()
    {
        const KeyPtr secret = sharedSecret();
        const QByteArray data = base("b25-hmac-sha256");
        const QByteArray sig = signature("b25-hmac-sha256");
        QVERIFY(verifySignature(*secret, SignatureAlgorithm::HmacSha256, data, sig).ok);
        QCOMPARE(signData(*secret, SignatureAlgorithm::HmacSha256, data).value(), sig); // deterministic
        QCOMPARE(verifySignature(*secret, SignatureAlgorithm::HmacSha256, data, sig.chopped(1)).code, QStringLiteral("signature-malformed"));
        QByteArray flipped = sig;
        flipped[0] = char(flipped[0] ^ 0x80);
        QCOMPARE(verifySignature(*secret, SignatureAlgorithm::HmacSha256, data, flipped).code, QStringLiteral("signature-mismatch"));
    }

    void deterministicResigning()
    {
        // RSA v1.5 and Ed25519 are deterministic: the private keys reproduce the published bytes.
        const KeyPtr rsa = privatePem("test-key-rsa.private.pem");
        QVERIFY(rsa && rsa->hasPrivate);
        QCOMPARE(signData(*rsa, SignatureAlgorithm::RsaV15Sha256, base("s4.3-proxy-rsa-v1_5")).value(), signature("s4.3-proxy-rsa-v1_5"));
        const KeyPtr ed = privatePem("test-key-ed25519.private.pem");
        QVERIFY(ed);
        QCOMPARE(signData(*ed, SignatureAlgorithm::Ed25519, base("b26-ed25519")).value(), signature("b26-ed25519"));
        const KeyPtr cavage = privatePem("cavage-test-key.private.pem");
        QVERIFY(cavage);
        QCOMPARE(signData(*cavage, SignatureAlgorithm::RsaV15Sha256, readVerifyData(QStringLiteral("keys/signatures/cavage12-c2-basic/signing-string.txt"))).value(),
                 signature("cavage12-c2-basic"));
    }

    void signVerifyRoundTrips_data()
    {
        QTest::addColumn<QString>("keyFile");
        QTest::addColumn<QString>("algorithm");
        QTest::newRow("pss") << "test-key-rsa-pss.private.pem" << "rsa-pss-sha512";
        QTest::newRow("pss with plain RSA key") << "test-key-rsa.private.pem" << "rsa-pss-sha512";
        QTest::newRow("rsa sha512") << "test-key-rsa.private.pem" << "rsa-v1_5-sha512";
        QTest::newRow("rsa sha1") << "test-key-rsa.private.pem" << "rsa-v1_5-sha1";
        QTest::newRow("ecdsa raw") << "test-key-ecc-p256.private.pem" << "ecdsa-p256-sha256";
        QTest::newRow("ecdsa der") << "test-key-ecc-p256.private.pem" << "ecdsa-p256-sha256-der";
    }

    void signVerifyRoundTrips()
    {
        QFETCH(QString, keyFile);
        QFETCH(QString, algorithm);
        const KeyPtr key = privatePem(keyFile.toLatin1().constData());
        QVERIFY(key);
        const auto alg = signatureAlgorithmFromName(algorithm).value();
        const QByteArray data = QByteArrayLiteral("\"@method\": POST\n\"@signature-params\": ()");
        auto sig = signData(*key, alg, data);
        QVERIFY2(sig, qPrintable(errorOf(sig)));
        const SignatureCheck check = verifySignature(*key, alg, data, *sig);
        QVERIFY2(check.ok, qPrintable(check.message));
        if (alg == SignatureAlgorithm::EcdsaP256Sha256)
            QCOMPARE(sig->size(), 64);
    }

    void ecdsaEncodingDiagnosis()
    {
        const KeyPtr key = privatePem("test-key-ecc-p256.private.pem");
        const QByteArray data = QByteArrayLiteral("data");
        const QByteArray der = signData(*key, SignatureAlgorithm::EcdsaP256Sha256Der, data).value();
        const SignatureCheck asRaw = verifySignature(*key, SignatureAlgorithm::EcdsaP256Sha256, data, der);
        QVERIFY(!asRaw.ok);
        QVERIFY(asRaw.otherEcdsaEncodingWouldVerify);
        QCOMPARE(asRaw.code, QStringLiteral("signature-malformed"));
        const QByteArray raw = signData(*key, SignatureAlgorithm::EcdsaP256Sha256, data).value();
        const SignatureCheck asDer = verifySignature(*key, SignatureAlgorithm::EcdsaP256Sha256Der, data, raw);
        QVERIFY(!asDer.ok);
        QVERIFY(asDer.otherEcdsaEncodingWouldVerify);
    }

    void pssSaltDiagnosis()
    {
        // A signer that used salt length 32 instead of RFC 9421's 64 (a common mistake), signed
        // here directly with OpenSSL.
        const KeyPtr key = privatePem("test-key-rsa-pss.private.pem");
        const QByteArray data = QByteArrayLiteral("data");
        EVP_MD_CTX *context = EVP_MD_CTX_new();
        EVP_PKEY_CTX *pkeyContext = nullptr;
        QVERIFY(EVP_DigestSignInit_ex(context, &pkeyContext, "SHA512", nullptr, nullptr, key->pkey.get(), nullptr) == 1);
        EVP_PKEY_CTX_set_rsa_padding(pkeyContext, RSA_PKCS1_PSS_PADDING);
        EVP_PKEY_CTX_set_rsa_mgf1_md_name(pkeyContext, "SHA512", nullptr);
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pkeyContext, 32);
        QByteArray wrongSalt(256, '\0');
        size_t length = size_t(wrongSalt.size());
        QVERIFY(EVP_DigestSign(context, reinterpret_cast<unsigned char *>(wrongSalt.data()), &length,
                               reinterpret_cast<const unsigned char *>(data.constData()), size_t(data.size())) == 1);
        EVP_MD_CTX_free(context);
        const SignatureCheck check = verifySignature(*key, SignatureAlgorithm::RsaPssSha512, data, wrongSalt);
        QVERIFY(!check.ok);
        QVERIFY(check.pssAutoSaltWouldVerify);
        QCOMPARE(check.code, QStringLiteral("signature-mismatch"));
        const QByteArray good = signData(*key, SignatureAlgorithm::RsaPssSha512, data).value();
        const SignatureCheck goodCheck = verifySignature(*key, SignatureAlgorithm::RsaPssSha512, data, good);
        QVERIFY(goodCheck.ok);
        QVERIFY(!goodCheck.pssAutoSaltWouldVerify);
    }

    void algorithmConfusion()
    {
        // HMAC "signed" with the public key bytes as secret must never verify with a public key.
        const KeyPtr rsa = publicPem("test-key-rsa.public.pem", "test-key-rsa");
        const QByteArray pem = readVerifyData(QStringLiteral("keys/test-key-rsa.public.pem"));
        const QByteArray data = QByteArrayLiteral("data");
        const QByteArray forged = signData(*makeSecretKey(QStringLiteral("x"), pem), SignatureAlgorithm::HmacSha256, data).value();
        const SignatureCheck check = verifySignature(*rsa, SignatureAlgorithm::HmacSha256, data, forged);
        QVERIFY(!check.ok);
        QCOMPARE(check.code, QStringLiteral("algorithm-mismatch"));
        QCOMPARE(checkKeyAlgorithm(*rsa, SignatureAlgorithm::HmacSha512).code, QStringLiteral("algorithm-mismatch"));
        QCOMPARE(checkKeyAlgorithm(*sharedSecret(), SignatureAlgorithm::RsaV15Sha256).code, QStringLiteral("algorithm-mismatch"));
    }

    void keyAlgorithmFit()
    {
        const KeyPtr rsa = publicPem("test-key-rsa.public.pem", "a");
        const KeyPtr pss = publicPem("test-key-rsa-pss.public.pem", "b");
        const KeyPtr ec = publicPem("test-key-ecc-p256.public.pem", "c");
        const KeyPtr ed = publicPem("test-key-ed25519.public.pem", "d");
        const KeyPtr weak = publicPem("cavage-test-key.public.pem", "Test");
        QVERIFY(checkKeyAlgorithm(*rsa, SignatureAlgorithm::RsaV15Sha256).ok);
        QVERIFY(checkKeyAlgorithm(*pss, SignatureAlgorithm::RsaPssSha512).ok);
        QVERIFY(!checkKeyAlgorithm(*ec, SignatureAlgorithm::RsaV15Sha256).ok);
        QVERIFY(!checkKeyAlgorithm(*rsa, SignatureAlgorithm::EcdsaP256Sha256).ok);
        QVERIFY(!checkKeyAlgorithm(*ec, SignatureAlgorithm::EcdsaP384Sha384).ok);
        QVERIFY(checkKeyAlgorithm(*ec, SignatureAlgorithm::EcdsaP256Sha256).ok);
        QVERIFY(!checkKeyAlgorithm(*ed, SignatureAlgorithm::EcdsaP256Sha256).ok);
        QVERIFY(checkKeyAlgorithm(*ed, SignatureAlgorithm::Ed25519).ok);
        const SignatureCheck weakCheck = checkKeyAlgorithm(*weak, SignatureAlgorithm::RsaV15Sha256);
        QVERIFY(weakCheck.ok);
        QVERIFY(weakCheck.weakKey);
        QCOMPARE(weak->bits, 1024);
        QVERIFY(!weakCheck.notes.isEmpty());
    }

    void generatedKeys()
    {
        for (auto [type, curve, alg] : {std::tuple{KeyType::Ec, QStringLiteral("P-384"), SignatureAlgorithm::EcdsaP384Sha384},
                                        std::tuple{KeyType::Ed25519, QString(), SignatureAlgorithm::Ed25519},
                                        std::tuple{KeyType::Oct, QString(), SignatureAlgorithm::HmacSha512}}) {
            auto key = generateKey(type, 2048, curve, QStringLiteral("gen"));
            QVERIFY2(key, qPrintable(errorOf(key)));
            const QByteArray sig = signData(**key, alg, "x").value();
            QVERIFY(verifySignature(**key, alg, "x", sig).ok);
            if (type != KeyType::Oct) {
                auto pem = privateKeyToPem(**key);
                QVERIFY(pem);
                auto reloaded = keyFromPrivatePem(*pem);
                QVERIFY(reloaded);
                QCOMPARE((*reloaded)->thumbprint, (*key)->thumbprint);
                // The public half alone verifies but cannot sign.
                auto publicOnly = keyFromPublicPem(publicKeyToPem(**key).value());
                QVERIFY(publicOnly);
                QVERIFY(verifySignature(**publicOnly, alg, "x", sig).ok);
                QVERIFY(!signData(**publicOnly, alg, "x"));
            }
        }
    }

    void names()
    {
        for (const char *name : {"rsa-v1_5-sha256", "rsa-pss-sha512", "ecdsa-p256-sha256", "ecdsa-p384-sha384", "ed25519", "hmac-sha256"})
            QCOMPARE(signatureAlgorithmName(signatureAlgorithmFromName(QString::fromLatin1(name)).value()), QString::fromLatin1(name));
        QVERIFY(!signatureAlgorithmFromName(u"rsa-sha256"));
        QCOMPARE(signatureAlgorithmFromJwa(u"ES256"), SignatureAlgorithm::EcdsaP256Sha256);
    }
};

QTEST_GUILESS_MAIN(TestCrypto)
#include "tst_crypto.moc"
