#include "testdata.h"

#include "http/capturedrequest.h"
#include "verify/digest.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Verify;

namespace {

QByteArray sha256Of(const QByteArray &bytes) { return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256); }

} // namespace

/// RFC 9530 and RFC 3230 digests over published vectors, and the re-serialization diagnosis.
class TestDigest final : public QObject
{
    Q_OBJECT

private slots:
    void rfc9530Vectors_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("algorithm");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QString>("input");
        QTest::addColumn<int>("expected"); // DigestStatus
        const QJsonArray vectors = QJsonDocument::fromJson(readVerifyData(QStringLiteral("rfc9530/expected-digests.json"))).array();
        QVERIFY(vectors.size() >= 20);
        for (const QJsonValue &entry : vectors) {
            const QJsonObject vector = entry.toObject();
            const QString section = vector.value(QStringLiteral("section")).toString();
            const QString algorithm = vector.value(QStringLiteral("alg")).toString();
            QString field = vector.value(QStringLiteral("field")).toString();
            if (field == QLatin1String("sample"))
                field = QStringLiteral("Content-Digest"); // Appendix D values, as a Content-Digest member
            DigestStatus expected = DigestStatus::Valid;
            if (vector.value(QStringLiteral("note")).toString().contains(QStringLiteral("not valid brotli")))
                expected = DigestStatus::Mismatch; // known defect: the printed brotli bytes do not hash to the value
            else if (section.contains(QStringLiteral("extra \"=\"")))
                expected = DigestStatus::Malformed; // known defect: not valid SF base64
            else if (algorithm != QLatin1String("sha-256") && algorithm != QLatin1String("sha-512"))
                expected = DigestStatus::Unsupported;
            QTest::addRow("%s %s %s", qPrintable(section), qPrintable(field), qPrintable(algorithm))
                << field << algorithm << vector.value(QStringLiteral("value_as_printed")).toString().toLatin1()
                << vector.value(QStringLiteral("input_file")).toString() << int(expected);
        }
    }

    void rfc9530Vectors()
    {
        QFETCH(QString, field);
        QFETCH(QString, algorithm);
        QFETCH(QByteArray, value);
        QFETCH(QString, input);
        QFETCH(int, expected);
        const QByteArray body = readVerifyData(QStringLiteral("rfc9530/") + input);
        const QByteArray header = algorithm.toLatin1() + "=:" + value + ':';
        const QList<DigestCheck> checks = checkDigests({{field.toLatin1(), header}}, body);
        QCOMPARE(checks.size(), 1);
        const DigestCheck &check = checks.first();
        QCOMPARE(int(check.status), expected);
        QCOMPARE(check.header, field);
        QCOMPARE(check.algorithm, algorithm);
        QVERIFY(!check.message.isEmpty());
        switch (DigestStatus(expected)) {
        case DigestStatus::Valid:
            QCOMPARE(check.expected.toLatin1(), value);
            QCOMPARE(check.actual.toLatin1(), value);
            QVERIFY(check.code.isEmpty());
            break;
        case DigestStatus::Mismatch:
            QCOMPARE(check.code, QStringLiteral("digest-mismatch"));
            QVERIFY(check.actual != check.expected);
            break;
        case DigestStatus::Malformed:
            QCOMPARE(check.code, QStringLiteral("digest-malformed"));
            QVERIFY2(check.message.contains(QStringLiteral("Read leniently, the sha-256 value would match")), qPrintable(check.message));
            break;
        case DigestStatus::Unsupported:
            QCOMPARE(check.code, QStringLiteral("algorithm-unsupported"));
            if (algorithm == QLatin1String("md5") || algorithm == QLatin1String("sha"))
                QVERIFY2(check.message.contains(QStringLiteral("weak")) && check.message.contains(QStringLiteral("matches")),
                         qPrintable(check.message));
            break;
        case DigestStatus::Absent:
            QFAIL("not expected");
        }
    }

    void rfc3230()
    {
        const QByteArray body = readVerifyData(QStringLiteral("rfc9530/inputs/hello-world.json")); // {"hello": "world"}
        QCOMPARE(body.size(), 18);
        const QByteArray sha256 = "X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=";
        const QByteArray sha512 = "WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==";
        // Several algorithms in one field and in two field lines; tokens are case-insensitive.
        auto checks = checkRfc3230Digest({"SHA-256=" + sha256 + ", sha-512=" + sha512}, body);
        QCOMPARE(checks.size(), 2);
        QCOMPARE(checks[0].status, DigestStatus::Valid);
        QCOMPARE(checks[0].algorithm, QStringLiteral("sha-256"));
        QCOMPARE(checks[0].header, QStringLiteral("Digest"));
        QCOMPARE(checks[1].status, DigestStatus::Valid);
        QCOMPARE(checks[1].algorithm, QStringLiteral("sha-512"));
        QCOMPARE(summarizeDigestChecks(checks).algorithm, QStringLiteral("sha-512"));
        checks = checkRfc3230Digest({"Sha-256=" + sha256, "MD5=HUXZLQLMuI/KZ5KDcJPcOA==,unixsum=30637"}, body);
        QCOMPARE(checks.size(), 3);
        QCOMPARE(checks[0].status, DigestStatus::Valid);
        QCOMPARE(checks[1].status, DigestStatus::Unsupported);
        QVERIFY(checks[1].message.contains(QStringLiteral("weak")));
        QCOMPARE(checks[2].status, DigestStatus::Unsupported);
        QCOMPARE(summarizeDigestChecks(checks).status, DigestStatus::Valid);
    }

    void rfc3230Examples()
    {
        // The two illustrative RFC 3230 lines: the SHA value has non-zero pad bits.
        const QList<QByteArray> lines = readVerifyData(QStringLiteral("rfc3230/examples.txt")).split('\n');
        QList<QByteArray> digests;
        for (const QByteArray &line : lines) {
            if (line.startsWith("Digest: "))
                digests.append(line.sliced(8).trimmed());
        }
        QCOMPARE(digests.size(), 3);
        const auto md5 = checkRfc3230Digest({digests[0]}, "x");
        QCOMPARE(md5.first().algorithm, QStringLiteral("md5"));
        QCOMPARE(md5.first().status, DigestStatus::Unsupported);
        const auto sha = checkRfc3230Digest({digests[1]}, "x");
        QCOMPARE(sha.size(), 2);
        QCOMPARE(sha[0].algorithm, QStringLiteral("sha"));
        QCOMPARE(sha[0].status, DigestStatus::Malformed);
        QVERIFY(sha[0].message.contains(QStringLiteral("pad bits")));
        QCOMPARE(sha[1].algorithm, QStringLiteral("unixsum"));
        const auto cavage = checkRfc3230Digest({digests[2]}, readVerifyData(QStringLiteral("rfc9530/inputs/hello-world.json")));
        QCOMPARE(cavage.first().status, DigestStatus::Valid);
    }

    void rfc3230Base64Messages()
    {
        const QByteArray body = readVerifyData(QStringLiteral("rfc9530/inputs/hello-world-lf.json"));
        // base64url characters instead of '/' and '+'
        auto url = checkRfc3230Digest({"SHA-256=RK_0qy18MlBSVnWgjwz6lZEWjP_lF5HF9bvEF8FabDg="}, body);
        QCOMPARE(url.first().status, DigestStatus::Malformed);
        QVERIFY(url.first().message.contains(QStringLiteral("base64url")));
        QVERIFY(url.first().message.contains(QStringLiteral("would match")));
        auto unpadded = checkRfc3230Digest({"SHA-256=RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg"}, body);
        QCOMPARE(unpadded.first().status, DigestStatus::Malformed);
        QVERIFY(unpadded.first().message.contains(QStringLiteral("lacks 1 '='")));
        auto shortValue = checkRfc3230Digest({"SHA-256=AAAA"}, body);
        QCOMPARE(shortValue.first().status, DigestStatus::Malformed);
        auto noValue = checkRfc3230Digest({"SHA-256"}, body);
        QCOMPARE(noValue.first().status, DigestStatus::Malformed);
        auto wrong = checkRfc3230Digest({"SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="}, body);
        QCOMPARE(wrong.first().status, DigestStatus::Mismatch);
        QCOMPARE(wrong.first().actual, QStringLiteral("RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg="));
    }

    void structuredOddities()
    {
        const QByteArray body = "{}";
        auto list = checkStructuredDigest(QStringLiteral("Content-Digest"), {"sha-256=(1 2)"}, body);
        QCOMPARE(list.first().status, DigestStatus::Malformed);
        auto token = checkStructuredDigest(QStringLiteral("Content-Digest"), {"sha-256=abc"}, body);
        QCOMPARE(token.first().status, DigestStatus::Malformed);
        auto unknown = checkStructuredDigest(QStringLiteral("Content-Digest"), {"sha3-256=:AAAA:"}, body);
        QCOMPARE(unknown.first().status, DigestStatus::Unsupported);
        // Two field lines combine into one dictionary.
        auto two = checkStructuredDigest(QStringLiteral("Content-Digest"),
                                         {"sha-256=:RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o=:", "sha-512=:AAAA:"}, body);
        QCOMPARE(two.size(), 2);
        QCOMPARE(two[0].status, DigestStatus::Valid);
        QCOMPARE(two[1].status, DigestStatus::Malformed); // wrong length
        QCOMPARE(summarizeDigestChecks(two).status, DigestStatus::Malformed);
    }

    void capturedRequest()
    {
        Http::CapturedRequest request;
        const QByteArray head = "POST /hook HTTP/1.1\r\nContent-Digest: sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:\r\n\r\n";
        request.raw = head + readVerifyData(QStringLiteral("rfc9530/inputs/hello-world-lf.json"));
        request.bodyOffset = head.size();
        request.bodyLength = request.raw.size() - head.size();
        request.headers.append({"content-digest", "sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:", 21, 60});
        auto checks = checkDigests(request);
        QCOMPARE(checks.size(), 1);
        QCOMPARE(checks.first().status, DigestStatus::Valid);
        request.headers.clear();
        checks = checkDigests(request);
        QCOMPARE(checks.first().status, DigestStatus::Absent);
        QCOMPARE(checks.first().code, QStringLiteral("digest-missing"));
        QCOMPARE(digestStatusName(checks.first().status), QStringLiteral("absent"));
    }

    void reserializedForms_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("signedBytes");
        QTest::addColumn<QString>("form");
        QTest::newRow("pretty body, compact digest") << QByteArray("{\n  \"hello\": \"world\",\n  \"n\": 1.50\n}\n")
                                                     << QByteArray("{\"hello\":\"world\",\"n\":1.5}") << "compact, original key order";
        QTest::newRow("integer keys first") << QByteArray("{\"b\": 1, \"2\": 0, \"1\": 0}")
                                            << QByteArray("{\"1\":0,\"2\":0,\"b\":1}") << "compact, original key order";
        QTest::newRow("sorted keys") << QByteArray("{\"b\":1,\"a\":{\"d\":2,\"c\":3}}")
                                     << QByteArray("{\"a\":{\"c\":3,\"d\":2},\"b\":1}") << "keys sorted (compact)";
        QTest::newRow("pretty 2") << QByteArray("{\"a\":[1,2]}") << QByteArray("{\n  \"a\": [\n    1,\n    2\n  ]\n}") << "2 spaces";
        QTest::newRow("pretty 4") << QByteArray("{\"a\":1}") << QByteArray("{\n    \"a\": 1\n}") << "4 spaces";
        QTest::newRow("CRLF to LF") << QByteArray("line one\r\nline two\r\n") << QByteArray("line one\nline two\n") << "CRLF line endings converted to LF";
        QTest::newRow("trailing newline") << QByteArray("plain text\n") << QByteArray("plain text") << "without its trailing newline";
        QTest::newRow("BOM") << QByteArray("\xEF\xBB\xBFplain") << QByteArray("plain") << "without its UTF-8 byte order mark";
        QTest::newRow("escapes") << QByteArray("{\"s\":\"caf\\u00e9 \\/ \\u001f\"}") << QByteArray("{\"s\":\"caf\xC3\xA9 / \\u001f\"}") << "compact, original key order";
    }

    void reserializedForms()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, signedBytes);
        QFETCH(QString, form);
        const auto name = findReserializedForm(body, QStringLiteral("sha-256"), sha256Of(signedBytes));
        QVERIFY(name);
        QVERIFY2(name->contains(form), qPrintable(*name));
        QVERIFY(!findReserializedForm(body, DigestAlgorithm::Sha256, sha256Of("something else")));
        QVERIFY(!findReserializedForm(body, QStringLiteral("crc32c"), sha256Of(signedBytes)));
    }
};

QTEST_GUILESS_MAIN(TestDigest)
#include "tst_digest.moc"
