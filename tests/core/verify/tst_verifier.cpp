#include "signaturetestsupport.h"

#include "verify/base64.h"
#include "verify/verifier.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QJsonDocument>

#include <thread>

using namespace Verify;

namespace {

const QDateTime created = QDateTime::fromSecsSinceEpoch(1618884475, Qt::UTC);

QByteArray b23()
{
    return readSignatureData(QStringLiteral("rfc9421/requests/b23.http"));
}

Verdict verify(const QByteArray &raw, const Policy &policy = Policy::strict())
{
    return Verifier(rfc9421Keys(), policy).verify(parseHttp(raw), created);
}

} // namespace

/// The orchestration: verdict JSON, unsigned requests, digests, policies, concurrency.
class TestVerifier final : public QObject
{
    Q_OBJECT

private slots:
    void verdictJsonFollowsTheContract()
    {
        Verdict verdict = verify(b23());
        verdict.file = QStringLiteral("b23.http");
        const QJsonObject json = verdictToJson(verdict);
        QCOMPARE(json.value(QStringLiteral("file")).toString(), QStringLiteral("b23.http"));
        QCOMPARE(json.value(QStringLiteral("verdict")).toString(), QStringLiteral("verified"));
        const QJsonObject digest = json.value(QStringLiteral("digest")).toObject();
        QCOMPARE(digest.value(QStringLiteral("status")).toString(), QStringLiteral("valid"));
        QCOMPARE(digest.value(QStringLiteral("header")).toString(), QStringLiteral("Content-Digest"));
        QCOMPARE(digest.value(QStringLiteral("algorithm")).toString(), QStringLiteral("sha-512"));
        QCOMPARE(digest.value(QStringLiteral("expected")).toString(), digest.value(QStringLiteral("actual")).toString());
        const QJsonObject signature = json.value(QStringLiteral("signature")).toObject();
        QCOMPARE(signature.value(QStringLiteral("status")).toString(), QStringLiteral("verified"));
        QCOMPARE(signature.value(QStringLiteral("scheme")).toString(), QStringLiteral("rfc9421"));
        QCOMPARE(signature.value(QStringLiteral("keyId")).toString(), QStringLiteral("test-key-rsa-pss"));
        QCOMPARE(signature.value(QStringLiteral("algorithm")).toString(), QStringLiteral("rsa-pss-sha512"));
        QCOMPARE(signature.value(QStringLiteral("covered")).toArray().size(), 8);
        QCOMPARE(signature.value(QStringLiteral("signingString")).toString().toUtf8(),
                 readSignatureData(QStringLiteral("rfc9421/examples/b23-full-coverage-rsa-pss/signature-base.txt")));
        QCOMPARE(signature.value(QStringLiteral("key")).toObject().value(QStringLiteral("kid")).toString(), QStringLiteral("test-key-rsa-pss"));
        QVERIFY(json.value(QStringLiteral("problems")).isArray());
        QVERIFY(json.value(QStringLiteral("steps")).toArray().size() >= 5);
        QCOMPARE(json.value(QStringLiteral("signatures")).toArray().size(), 1);
        // each header component names its raw line
        const Http::CapturedRequest request = parseHttp(b23());
        for (const QJsonValue &value : signature.value(QStringLiteral("components")).toArray()) {
            const QJsonObject component = value.toObject();
            for (const QJsonValue &line : component.value(QStringLiteral("lines")).toArray()) {
                const QByteArray text = request.raw.mid(line[QStringLiteral("offset")].toInteger(), line[QStringLiteral("length")].toInteger());
                QVERIFY2(text.contains(':'), text.constData());
            }
        }
    }

    void verdictJsonIsQtsCompactText()
    {
        // written directly, the text is what QJsonDocument writes for the same object: keys in
        // QJsonObject's order, Qt's escapes and numbers
        const auto same = [](const Verdict &verdict) {
            const QByteArray text = verdictJson(verdict);
            const QJsonDocument parsed = QJsonDocument::fromJson(text);
            QVERIFY2(parsed.isObject(), text.constData());
            QCOMPARE(parsed.toJson(QJsonDocument::Compact), text);
            QCOMPARE(QJsonDocument(verdictToJson(verdict)).toJson(QJsonDocument::Compact), text);
        };
        for (const char *name : {"b21.http", "b22.http", "b23.http", "b25.http", "b26.http", "s3.2.http", "b3.http", "s4.3.http"}) {
            same(verify(readSignatureData(QStringLiteral("rfc9421/requests/") + QLatin1String(name))));
            same(verify(readSignatureData(QStringLiteral("rfc9421/requests/") + QLatin1String(name)), *Policy::fromName(QStringLiteral("http-signature"))));
        }
        same(verify(readSignatureData(QStringLiteral("rfc9421/messages/test-request.http"))));
        same(verify(withBody(b23(), "{\"hello\": \"World\"}")));
        // text a request may carry: controls, quotes, non-ASCII, invalid UTF-8, lone surrogates
        Verdict odd = verify(b23());
        odd.file = QStringLiteral("dir/\"name\"\\ \t\x01\x1f\x7f é 🙂 ") + QChar(0xd800) + QStringLiteral("x") + QChar(0xdc00);
        odd.signature.signingString = QByteArray("a\nb\r\x02\"\\ \xc3\xa9 \xff\xfe \xed\xa0\x80 \xf0\x9f\x99\x82 \xc3");
        odd.signature.components.first().nodeValue = QByteArray("\x80x");
        odd.signature.created = -12;
        odd.signature.expires = Q_INT64_C(4102444800);
        odd.signature.key->notes.append(QStringLiteral("note \u2028"));
        odd.diagnoses.append(Diagnosis{QStringLiteral("c"), QStringLiteral("m"), QStringLiteral("f"), QByteArray("s\x00t")});
        same(odd);
        QCOMPARE(QJsonDocument::fromJson(verdictJson(odd)).object().value(QStringLiteral("file")).toString().left(8), QStringLiteral("dir/\"nam"));
        // the best signature is written once but appears in both places
        const QJsonObject json = verdictToJson(odd);
        QCOMPARE(json.value(QStringLiteral("signatures")).toArray().size(), 1);
        QVERIFY(json.value(QStringLiteral("signatures")).toArray().first().toObject() != json.value(QStringLiteral("signature")).toObject());
        QCOMPARE(verdictToJson(verify(b23())).value(QStringLiteral("signatures")).toArray().first().toObject(),
                 verdictToJson(verify(b23())).value(QStringLiteral("signature")).toObject());
    }

    // The step messages, word for word; text from the request (a keyId with "%1" in it) is
    // quoted as it is, never taken for a placeholder.
    void stepMessages()
    {
        const Verdict verdict = verify(b23());
        QStringList messages;
        for (const VerificationStep &step : verdict.steps)
            messages.append(step.name + u": " + step.message);
        QCOMPARE(messages.value(0), QStringLiteral("parse: Found the RFC 9421 signature \"sig-b23\" (1 in the request), keyId \"test-key-rsa-pss\", "
                                                   "covering \"date\" \"@method\" \"@path\" \"@query\" \"@authority\" \"content-type\" \"content-digest\" \"content-length\"."));
        QVERIFY2(messages.value(1).startsWith(u"signature-base: Built "), qPrintable(messages.value(1)));
        QVERIFY2(messages.value(1).endsWith(u" bytes from 8 components."), qPrintable(messages.value(1)));
        QVERIFY2(messages.value(2).startsWith(u"key: Key \"test-key-rsa-pss\" (RSA, 2048 bits, thumbprint "), qPrintable(messages.value(2)));
        QCOMPARE(messages.value(3), QStringLiteral("verify: The signature verifies (rsa-pss-sha512)."));
        QCOMPARE(messages.value(4), QStringLiteral("clock: Checked created, Date against 2021-04-20T02:07:55Z (max skew 300 s)."));
        QCOMPARE(messages.value(5), QStringLiteral("body: Content-Digest sha-512 matches the 18 body bytes and is signed."));

        const QByteArray odd = "POST /hook HTTP/1.1\r\nHost: example.com\r\nDate: Tue, 20 Apr 2021 02:07:55 GMT\r\n"
                               "Authorization: Signature keyId=\"k%1%2%3\",algorithm=\"rsa-sha256\",headers=\"date\",signature=\"AAAA\"\r\n"
                               "Content-Length: 0\r\n\r\n";
        const Verdict unknown = verify(odd);
        QCOMPARE(unknown.steps.value(0).message,
                 QStringLiteral("Found the draft-cavage signature in Authorization (1 in the request), keyId \"k%1%2%3\", covering date."));
    }

    void unsignedRequest()
    {
        const QByteArray raw = readSignatureData(QStringLiteral("rfc9421/messages/test-request.http"));
        const Verdict verdict = verify(raw);
        QCOMPARE(verdict.verdict, VerdictStatus::Unsigned);
        QCOMPARE(verdict.signature.status, SignatureStatus::Absent);
        QCOMPARE(verdictToJson(verdict).value(QStringLiteral("signature")).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("absent"));
        QCOMPARE(verdict.digest.status, DigestStatus::Valid); // still reported
    }

    void digestProblems()
    {
        // a changed body under a signed Content-Digest
        const Verdict tampered = verify(withBody(b23(), "{\"hello\": \"World\"}"));
        QCOMPARE(tampered.signature.status, SignatureStatus::Verified);
        QCOMPARE(tampered.verdict, VerdictStatus::Failed);
        QCOMPARE(tampered.digest.status, DigestStatus::Mismatch);
        QVERIFY(tampered.hasProblem(QStringLiteral("digest-mismatch")));
        // the body re-serialized after signing: named by the diagnosis
        // (the sender hashed JSON.stringify of the body, then sent the original bytes)
        QByteArray reserialized = b23();
        const QByteArray compactDigest = encodeBase64(computeDigest(DigestAlgorithm::Sha512, "{\"hello\":\"world\"}"));
        reserialized.replace("WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==", compactDigest);
        const Verdict compact = verify(reserialized);
        QVERIFY(compact.hasProblem(QStringLiteral("body-reserialized")));
        QCOMPARE(compact.diagnoses.size(), 1);
        QVERIFY2(compact.diagnoses.first().message.contains(QStringLiteral("JSON.stringify")), qPrintable(compact.diagnoses.first().message));
        // malformed digest headers, mutated with a fixed seed: never verified, never a crash
        QRandomGenerator random(3230);
        const QByteArray raw = b23();
        const qsizetype at = raw.indexOf("Content-Digest: ") + 16;
        const qsizetype end = raw.indexOf("\r\n", at);
        int malformed = 0;
        for (int round = 0; round < 300; ++round) {
            QByteArray value = raw.mid(at, end - at);
            const int position = random.bounded(int(value.size()));
            const QByteArray junk = QByteArray(1, "=:,; -_\"?*a9"[random.bounded(12)]);
            value = round % 2 ? value.left(position) + junk + value.mid(position + 1) : value.left(position);
            if (value == raw.mid(at, end - at))
                continue; // the junk byte equalled the one it replaced
            const Verdict verdict = verify(raw.left(at) + value + raw.mid(end));
            QVERIFY(verdict.verdict == VerdictStatus::Failed);
            if (verdict.digest.status == DigestStatus::Malformed) {
                ++malformed;
                QVERIFY(verdict.hasProblem(QStringLiteral("digest-malformed")));
            }
        }
        QVERIFY(malformed > 30);
    }

    void policies()
    {
        QCOMPARE(Policy::fromName(QStringLiteral("strict"))->name, QStringLiteral("strict"));
        QVERIFY(Policy::fromName(QStringLiteral("http-signature"))->joyentCompatible);
        QVERIFY(!Policy::fromName(QStringLiteral("lenient")));
        // JSON round trip, and a policy as data changing the verdict
        const Policy strict = Policy::strict();
        QCOMPARE(Policy::fromJson(QJsonDocument(strict.toJson()).toJson())->toJson(), strict.toJson());
        auto custom = Policy::fromJson(R"({"name":"needs-date","requiredComponents":["date","@method"],"allowedAlgorithms":["ed25519"]})");
        QVERIFY2(custom, qPrintable(custom ? QString() : custom.error()));
        QVERIFY(verify(b23(), *custom).hasProblem(QStringLiteral("algorithm-unsupported"))); // rsa-pss not allowed
        auto noDate = Policy::fromJson(R"({"requiredComponents":["date"]})");
        const Verdict s32 = Verifier(rfc9421Keys(), *noDate).verify(parseHttp(readSignatureData(QStringLiteral("rfc9421/requests/s3.2.http"))), created);
        QCOMPARE(s32.verdict, VerdictStatus::Failed);
        QVERIFY(s32.hasProblem(QStringLiteral("component-not-signed")));
        QVERIFY(!Policy::fromJson(R"({"maxSkew": 3})"));
        QVERIFY(!Policy::fromJson("[]"));
        // the clock: created is 2 s before this clock; a 1 s skew fails
        auto tight = Policy::fromJson(R"({"maxSkewSeconds":1})");
        const Verdict skewed = Verifier(rfc9421Keys(), *tight).verify(parseHttp(b23()), created);
        QVERIFY(skewed.hasProblem(QStringLiteral("clock-skew")));
        QVERIFY(skewed.problems.first().message.contains(QStringLiteral("created is 2 s behind")));
    }

    void concurrentVerificationAgrees()
    {
        // one Verifier shared by threads gives the same verdicts (keys parsed once, verify() const)
        const Verifier verifier(rfc9421Keys(), Policy::strict());
        QList<Http::CapturedRequest> requests;
        for (const char *name : {"b21.http", "b22.http", "b23.http", "b25.http", "b26.http", "s3.2.http", "b3.http", "s4.3.http"}) {
            for (int copy = 0; copy < 8; ++copy)
                requests.append(parseHttp(readSignatureData(QStringLiteral("rfc9421/requests/") + QLatin1String(name))));
        }
        const QList<QByteArray> serial = [&] {
            QList<QByteArray> out;
            for (const Http::CapturedRequest &request : std::as_const(requests))
                out.append(QJsonDocument(verdictToJson(verifier.verify(request, created))).toJson());
            return out;
        }();
        QList<QByteArray> parallel(requests.size());
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&, t] {
                for (qsizetype i = t; i < requests.size(); i += 4)
                    parallel[i] = QJsonDocument(verdictToJson(verifier.verify(requests[i], created))).toJson();
            });
        }
        for (std::thread &thread : threads)
            thread.join();
        QCOMPARE(parallel, serial);
    }
};

QTEST_GUILESS_MAIN(TestVerifier)
#include "tst_verifier.moc"
