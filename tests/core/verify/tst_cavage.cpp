#include "signaturetestsupport.h"

#include "verify/base64.h"
#include "verify/cavageparameters.h"
#include "verify/cavagesigningstring.h"
#include "verify/verifier.h"

#include <QRandomGenerator>

using namespace Verify;

namespace {

QByteArray problemsOf(const Verdict &verdict)
{
    QByteArray text;
    for (const Problem &problem : verdict.problems)
        text += problem.code.toUtf8() + ": " + problem.message.toUtf8() + "; ";
    return text;
}

const QDateTime cavageDate = QDateTime::fromSecsSinceEpoch(1388957500, Qt::UTC); // Sun, 05 Jan 2014 21:31:40 GMT

QByteArray cavageRequest()
{
    return readSignatureData(QStringLiteral("cavage/draft-12/request.http"));
}

QByteArray vector(const char *path)
{
    return readSignatureData(QStringLiteral("cavage/") + QLatin1String(path)).trimmed();
}

KeySet cavageKeys()
{
    KeySet keys;
    keys.add(publicKeyFile(QStringLiteral("cavage-test-key.public.pem"), QStringLiteral("Test")));
    return keys;
}

Verdict verifyRaw(const QByteArray &raw, const KeySet &keys, const Policy &policy = Policy::strict(),
                  const QDateTime &now = cavageDate)
{
    const Http::CapturedRequest request = parseHttp(raw);
    return Verifier(keys, policy).verify(request, now);
}

// Signs a request the way draft-cavage §2.3 says, returning the request with an Authorization line.
QByteArray signCavage(const QByteArray &raw, const Key &key, SignatureAlgorithm algorithm, const QByteArray &algorithmName,
                      const QByteArray &headers, const QByteArray &keyId = "Test")
{
    const Http::CapturedRequest request = parseHttp(raw);
    const QByteArray params = "keyId=\"" + keyId + "\",algorithm=\"" + algorithmName + "\",headers=\"" + headers + "\"";
    auto parsed = parseCavageParameters(QByteArray(params + ",signature=\"x\""));
    if (!parsed)
        return {};
    auto text = buildCavageSigningString(VerifierInput::fromRequest(request, QStringLiteral("http")), *parsed);
    if (!text)
        return {};
    auto signature = signData(key, algorithm, text->text);
    if (!signature)
        return {};
    return withHeaders(raw, "Authorization: Signature " + params + ",signature=\"" + encodeBase64(*signature) + "\"");
}

} // namespace

/// draft-cavage signatures: the spec's Appendix C vectors, every algorithm, policies, malformed input.
class TestCavage final : public QObject
{
    Q_OBJECT

private slots:
    void parameters()
    {
        auto params = parseCavageAuthorization(
            QByteArrayLiteral("Signature keyId=\"Test\", algorithm=\"rsa-sha256\" ,headers=\"(request-target) Host\",created=12,expires=13.5,signature=\"a\\\"b\""));
        QVERIFY2(params, qPrintable(params.error()));
        QCOMPARE(params->keyId, QByteArray("Test"));
        QCOMPARE(params->headers, (QList<QByteArray>{"(request-target)", "host"}));
        QCOMPARE(params->created, 12);
        QCOMPARE(params->expires, 13);
        QCOMPARE(params->signature, QByteArray("a\"b"));
        // default headers: date (draft-cavage §2.1.6 as joyent implements it)
        auto defaults = parseCavageParameters("keyId=\"k\",signature=\"s\"");
        QVERIFY(defaults);
        QCOMPARE(defaults->headers, QList<QByteArray>{"date"});
        for (const char *bad : {"keyId=\"k\",signature=\"s\",", "keyId=\"k\" signature=\"s\"", "keyId=\"k\",keyId=\"j\",signature=\"s\"",
                                "keyId=\"k\",signature=\"s", "signature=\"s\"", "keyId=\"k\"", "keyId=\"k\",signature=\"s\",created=abc", "=x"}) {
            QVERIFY2(!parseCavageParameters(bad), bad);
        }
        QVERIFY(!parseCavageAuthorization("Bearer abc"));
        QVERIFY(isSignatureAuthorization("signature keyId=\"x\""));
    }

    void joyentParser()
    {
        QCOMPARE(joyentParseError(vector("draft-12/c1-default/authorization.txt").mid(15), true), QString());
        QCOMPARE(joyentParseError(vector("draft-10/authorization.txt").mid(15), true), QString());
        // the draft-12 C.3 header has a space after a comma: joyent says "bad param format"
        QCOMPARE(joyentParseError(vector("draft-12/c3-all-headers/authorization.txt").mid(15), true), QStringLiteral("bad param format"));
        QCOMPARE(joyentParseError("keyId=\"a\",algorithm=\"hs2019\",signature=\"x\"", false), QStringLiteral("hs2019 is not supported"));
    }

    void signingStrings_data()
    {
        QTest::addColumn<QByteArray>("authorization");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("C.1 default") << vector("draft-12/c1-default/authorization.txt") << vector("draft-12/c1-default/signing-string.txt");
        QTest::newRow("C.2 basic") << vector("draft-12/c2-basic/authorization.txt") << vector("draft-12/c2-basic/signing-string.txt");
        QTest::newRow("C.3 draft-10") << vector("draft-10/authorization.txt") << vector("draft-12/c3-all-headers/signing-string.txt");
    }

    void signingStrings()
    {
        QFETCH(QByteArray, authorization);
        QFETCH(QByteArray, expected);
        const Verdict verdict = verifyRaw(withHeaders(cavageRequest(), authorization), cavageKeys());
        QCOMPARE(verdict.signature.scheme, QStringLiteral("cavage"));
        QCOMPARE(verdict.signature.signingString, expected);
        QCOMPARE(verdict.signature.status, SignatureStatus::Verified);
        QCOMPARE(verdict.signature.key->thumbprint.isEmpty(), false);
        // every header component points at its raw line
        const Http::CapturedRequest request = parseHttp(withHeaders(cavageRequest(), authorization));
        for (const CoveredComponent &component : verdict.signature.components) {
            if (component.fromRequestLine)
                continue;
            QCOMPARE(component.lines.size(), 1);
            const QByteArray line = request.raw.mid(component.lines[0].offset, component.lines[0].length);
            QVERIFY2(line.toLower().startsWith(QByteArray(component.name.toLatin1() + ':')), line.constData());
        }
    }

    void appendixVerdicts()
    {
        const QByteArray request = cavageRequest();
        // C.1 via the Signature header; it covers only date, so the body is unprotected
        Verdict c1 = verifyRaw(withHeaders(request, vector("draft-12/c1-default/signature-header.txt")), cavageKeys());
        QCOMPARE(c1.signature.header, QStringLiteral("Signature"));
        QCOMPARE(c1.signature.status, SignatureStatus::Verified);
        QCOMPARE(c1.verdict, VerdictStatus::Failed);
        QVERIFY(c1.hasProblem(QStringLiteral("digest-not-signed")));

        // C.3 (draft-10 header) covers the digest: verified under strict
        Verdict c3 = verifyRaw(withHeaders(request, vector("draft-10/authorization.txt")), cavageKeys());
        QVERIFY2(c3.problems.isEmpty(), problemsOf(c3).constData());
        QCOMPARE(c3.verdict, VerdictStatus::Verified);
        QCOMPARE(c3.digest.status, DigestStatus::Valid);

        // the http-signature receiver compares the digest with JSON.stringify: {"hello":"world"} != {"hello": "world"}
        Verdict joyent = verifyRaw(withHeaders(request, vector("draft-10/authorization.txt")), cavageKeys(), Policy::httpSignature());
        QCOMPARE(joyent.signature.status, SignatureStatus::Verified);
        QCOMPARE(joyent.verdict, VerdictStatus::Failed);
        QVERIFY(joyent.hasProblem(QStringLiteral("digest-json-stringify-mismatch")));

        // the 2014 date against today's clock
        Verdict late = verifyRaw(withHeaders(request, vector("draft-10/authorization.txt")), cavageKeys(), Policy::strict(),
                                 cavageDate.addSecs(412));
        QCOMPARE(late.verdict, VerdictStatus::Failed);
        QVERIFY(late.hasProblem(QStringLiteral("clock-skew")));
        QVERIFY2(late.problems.first().message.contains(QStringLiteral("Date is 412 s behind the verifier's clock")),
                 qPrintable(late.problems.first().message));
    }

    void appendixC3Defect()
    {
        // draft-12 C.3 lists (created) (expires) but carries the draft-10 signature: it cannot verify
        const QByteArray raw = withHeaders(cavageRequest(), vector("draft-12/c3-all-headers/authorization.txt"));
        Verdict verdict = verifyRaw(raw, cavageKeys());
        QCOMPARE(verdict.signature.status, SignatureStatus::Invalid);
        QCOMPARE(verdict.verdict, VerdictStatus::Failed);
        QVERIFY(verdict.hasProblem(QStringLiteral("signature-mismatch")));
        QVERIFY(verdict.signature.signingString.startsWith("(request-target): post /foo?param=value&pet=dog\n(created): 1402170695\n(expires): 1402170699\n"));
        // joyent rejects the header itself
        Verdict joyent = verifyRaw(raw, cavageKeys(), Policy::httpSignature());
        QCOMPARE(joyent.signature.status, SignatureStatus::Malformed);
        QVERIFY(joyent.hasProblem(QStringLiteral("signature-malformed")));
    }

    void algorithms_data()
    {
        QTest::addColumn<QString>("keyFile");
        QTest::addColumn<int>("algorithm");
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<bool>("weak");
        QTest::newRow("rsa-sha256") << "cavage-test-key.private.pem" << int(SignatureAlgorithm::RsaV15Sha256) << QByteArray("rsa-sha256") << false;
        QTest::newRow("rsa-sha512") << "cavage-test-key.private.pem" << int(SignatureAlgorithm::RsaV15Sha512) << QByteArray("rsa-sha512") << false;
        QTest::newRow("rsa-sha1") << "cavage-test-key.private.pem" << int(SignatureAlgorithm::RsaV15Sha1) << QByteArray("rsa-sha1") << true;
        QTest::newRow("hs2019 rsa") << "test-key-rsa.private.pem" << int(SignatureAlgorithm::RsaPssSha512) << QByteArray("hs2019") << false;
        QTest::newRow("ecdsa-sha256") << "test-key-ecc-p256.private.pem" << int(SignatureAlgorithm::EcdsaP256Sha256Der) << QByteArray("ecdsa-sha256") << false;
        QTest::newRow("hs2019 ecdsa") << "test-key-ecc-p256.private.pem" << int(SignatureAlgorithm::EcdsaP256Sha256Der) << QByteArray("hs2019") << false;
        QTest::newRow("ed25519") << "test-key-ed25519.private.pem" << int(SignatureAlgorithm::Ed25519) << QByteArray("ed25519") << false;
    }

    void algorithms()
    {
        QFETCH(QString, keyFile);
        QFETCH(int, algorithm);
        QFETCH(QByteArray, name);
        QFETCH(bool, weak);
        const KeyPtr privateKey = privateKeyFile(keyFile, QStringLiteral("Test"));
        QVERIFY(privateKey);
        const QByteArray raw = signCavage(cavageRequest(), *privateKey, SignatureAlgorithm(algorithm), name,
                                          "(request-target) host date digest");
        QVERIFY(!raw.isEmpty());
        KeySet keys;
        keys.add(privateKey); // carries the public part
        const Verdict verdict = verifyRaw(raw, keys);
        QCOMPARE(verdict.signature.status, SignatureStatus::Verified);
        QCOMPARE(verdict.signature.verifiedAlgorithm, signatureAlgorithmName(SignatureAlgorithm(algorithm)));
        QVERIFY2(verdict.verdict == (weak ? VerdictStatus::Failed : VerdictStatus::Verified), problemsOf(verdict).constData());
        QCOMPARE(verdict.hasProblem(QStringLiteral("algorithm-weak")), weak);
        // tampering with a covered header breaks it
        QByteArray tampered = raw;
        tampered.replace("Host: example.com", "Host: example.org");
        QCOMPARE(verifyRaw(tampered, keys).signature.status, SignatureStatus::Invalid);
    }

    void hmacAndConfusion()
    {
        const KeyPtr secret = makeSecretKey(QStringLiteral("shared"), QByteArrayLiteral("s3cret"));
        const QByteArray raw = signCavage(cavageRequest(), *secret, SignatureAlgorithm::HmacSha256, "hmac-sha256",
                                          "(request-target) host date digest", "shared");
        KeySet keys = cavageKeys();
        keys.add(secret);
        const Verdict hmac = verifyRaw(raw, keys);
        QVERIFY2(hmac.verdict == VerdictStatus::Verified, problemsOf(hmac).constData());
        const KeyPtr wrong = makeSecretKey(QStringLiteral("shared"), QByteArrayLiteral("other"));
        KeySet wrongKeys;
        wrongKeys.add(wrong);
        QVERIFY(verifyRaw(raw, wrongKeys).hasProblem(QStringLiteral("signature-mismatch")));

        // algorithm confusion: an HMAC "signed" with the RSA public key's PEM bytes as secret, claimed for kid Test
        const QByteArray pem = readSignatureData(QStringLiteral("keys/cavage-test-key.public.pem"));
        const KeyPtr pemAsSecret = makeSecretKey(QStringLiteral("Test"), pem);
        const QByteArray confused = signCavage(cavageRequest(), *pemAsSecret, SignatureAlgorithm::HmacSha256, "hmac-sha256",
                                               "(request-target) host date digest");
        const Verdict verdict = verifyRaw(confused, cavageKeys());
        QCOMPARE(verdict.verdict, VerdictStatus::Failed);
        QVERIFY(verdict.hasProblem(QStringLiteral("algorithm-mismatch")));
        QVERIFY(!verdict.hasProblem(QStringLiteral("signature-mismatch")));
    }

    void unknownKeyListsKids()
    {
        QByteArray raw = withHeaders(cavageRequest(), vector("draft-10/authorization.txt"));
        raw.replace("keyId=\"Test\"", "keyId=\"gone\"");
        const Verdict verdict = verifyRaw(raw, cavageKeys());
        QCOMPARE(verdict.signature.status, SignatureStatus::KeyUnknown);
        QVERIFY(verdict.hasProblem(QStringLiteral("key-unknown")));
        QVERIFY(verdict.problems.first().message.contains(QStringLiteral("it has: Test")));
    }

    void repeatedHeaders()
    {
        // Node keeps the first of repeated content-type lines; the draft joins them with ", "
        const QByteArray base = withHeaders(cavageRequest(), "Content-Type: text/plain");
        const KeyPtr privateKey = privateKeyFile(QStringLiteral("cavage-test-key.private.pem"), QStringLiteral("Test"));
        const QByteArray raw = signCavage(base, *privateKey, SignatureAlgorithm::RsaV15Sha256, "rsa-sha256", "date content-type digest");
        const Verdict strict = verifyRaw(raw, cavageKeys());
        QCOMPARE(strict.signature.status, SignatureStatus::Verified);
        QVERIFY(strict.signature.signingString.contains("content-type: application/json, text/plain"));
        const CoveredComponent &contentType = strict.signature.components[1];
        QCOMPARE(contentType.lines.size(), 2);
        QCOMPARE(contentType.nodeValue.value_or(QByteArray()), QByteArray("application/json"));
        // the Node receiver sees only the first value: the signature fails there, and the diagnosis says why
        const Verdict joyent = verifyRaw(raw, cavageKeys(), Policy::httpSignature());
        QCOMPARE(joyent.signature.status, SignatureStatus::Invalid);
        QVERIFY(joyent.signature.signingString.contains("content-type: application/json\n"));
        QCOMPARE(joyent.diagnoses.size(), 1);
        QCOMPARE(joyent.diagnoses.first().code, QStringLiteral("duplicate-header-joined"));
    }

    void mutatedHeadersNeverCrash()
    {
        // fixed-seed random mutations of valid headers: each result is a well-formed verdict
        QRandomGenerator random(20240131);
        const QByteArray valid = vector("draft-10/authorization.txt").mid(15);
        const QByteArray request = cavageRequest();
        const QByteArray alphabet = "\",= ()\\abcdefghkmnrsty-0123456789+/\t";
        int malformed = 0;
        for (int round = 0; round < 600; ++round) {
            QByteArray value = valid;
            const int edits = 1 + random.bounded(4);
            for (int e = 0; e < edits; ++e) {
                const int at = random.bounded(int(value.size()));
                switch (random.bounded(3)) {
                case 0: value.remove(at, 1 + random.bounded(3)); break;
                case 1: value.insert(at, alphabet[random.bounded(int(alphabet.size()))]); break;
                default: value[at] = alphabet[random.bounded(int(alphabet.size()))]; break;
                }
            }
            for (const QByteArray &header : {QByteArray("Authorization: Signature "), QByteArray("Signature: ")}) {
                const Http::CapturedRequest parsed = parseHttp(withHeaders(request, header + value));
                if (parsed.method.isEmpty())
                    continue; // the HTTP parser refused the line (e.g. a control character)
                const Verdict verdict = Verifier(cavageKeys(), Policy::strict()).verify(parsed, cavageDate);
                QVERIFY(verdict.verdict != VerdictStatus::Verified || verdict.signature.signingString.size() > 0);
                if (verdict.signature.status == SignatureStatus::Malformed) {
                    ++malformed;
                    QVERIFY(verdict.hasProblem(QStringLiteral("signature-malformed")));
                }
            }
        }
        QVERIFY(malformed > 50);
    }
};

QTEST_GUILESS_MAIN(TestCavage)
#include "tst_cavage.moc"
