// The provider emulator's signer: what it signs, Hookscope's verifier (and `hookscope verify`)
// accepts under the strict policy; changes to what it covers are caught.
#include "../cli/hookscopeprocess.h"

#include "capture/storereader.h"
#include "replay/providersigner.h"
#include "verify/crypto.h"
#include "verify/jwk.h"
#include "verify/verifier.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTimeZone>

namespace {

QByteArray requestBytes(const Replay::ProviderSigner::Input &input, const Replay::SignedHeaders &headers, const QByteArray &body)
{
    QByteArray raw = input.method + ' ' + input.target + " HTTP/1.1\r\n";
    for (const auto &[name, value] : headers.fields)
        raw += name + ": " + value + "\r\n";
    return raw + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

} // namespace

class TestProviderSigner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void imfFixdate();
    void verifierAcceptsWhatItSigns();
    void hookscopeVerifyAcceptsIt();
    void tamperingIsCaught_data();
    void tamperingIsCaught();
    void deterministic();
    void refusesWhatTheProviderCannotSign();

private:
    Replay::ProviderSigner::Input sampleInput() const;
    Verify::KeyPtr m_key;
    Verify::KeySet m_publicKeys;
};

void TestProviderSigner::initTestCase()
{
    auto key = Verify::generateKey(Verify::KeyType::Rsa, 2048);
    QVERIFY(key.has_value());
    m_key = *key;
    // the verifier gets only the public JWK, as a receiver would
    auto jwk = Verify::keyToPublicJwk(*m_key);
    QVERIFY(jwk.has_value());
    jwk->insert(QStringLiteral("kid"), QStringLiteral("provider-kid"));
    auto publicKey = Verify::keyFromJwk(*jwk);
    QVERIFY(publicKey.has_value());
    QVERIFY(!(*publicKey)->hasPrivate);
    m_publicKeys.add(*publicKey);
}

Replay::ProviderSigner::Input TestProviderSigner::sampleInput() const
{
    Replay::ProviderSigner::Input input;
    input.target = "/webhooks/skillspring?tenant=7";
    input.host = "127.0.0.1:8080";
    input.date = QDateTime(QDate(2026, 12, 3), QTime(13, 22, 31), Qt::UTC);
    input.body = R"({"type":"CONVERSATION_ENDED","data":{"conversationId":"c-1"}})";
    return input;
}

void TestProviderSigner::imfFixdate()
{
    // RFC 7231 §7.1.1.1's own example
    QCOMPARE(Replay::ProviderSigner::imfFixdate(QDateTime(QDate(1994, 11, 6), QTime(8, 49, 37), Qt::UTC)),
             QByteArray("Sun, 06 Nov 1994 08:49:37 GMT"));
    QCOMPARE(Replay::ProviderSigner::imfFixdate(QDateTime(QDate(2026, 1, 1), QTime(0, 0, 5), QTimeZone(3600))),
             QByteArray("Wed, 31 Dec 2025 23:00:05 GMT"));
}

void TestProviderSigner::verifierAcceptsWhatItSigns()
{
    const Replay::ProviderSigner signer(m_key, QStringLiteral("provider-kid"));
    const auto input = sampleInput();
    const auto headers = signer.sign(input);
    QVERIFY2(headers.has_value(), headers ? "" : qPrintable(headers.error()));
    QCOMPARE(headers->fields.size(), 5);
    QCOMPARE(headers->fields[0], std::make_pair(QByteArray("Host"), QByteArray("127.0.0.1:8080")));
    QCOMPARE(headers->fields[1].second, QByteArray("Thu, 03 Dec 2026 13:22:31 GMT"));
    QCOMPARE(headers->fields[2].second, "SHA-256=" + QCryptographicHash::hash(input.body, QCryptographicHash::Sha256).toBase64());
    QCOMPARE(headers->fields[3].second, QByteArray("application/json"));
    QVERIFY(headers->fields[4].second.startsWith(
        R"(Signature keyId="provider-kid",algorithm="rsa-sha256",headers="(request-target) host date digest",signature=")"));

    const Http::CapturedRequest request = Capture::parseRaw(requestBytes(input, *headers, input.body));
    QVERIFY(!request.isRejected());
    const Verify::Verifier verifier(m_publicKeys, *Verify::Policy::fromName(QStringLiteral("strict")));
    const Verify::Verdict verdict = verifier.verify(request, input.date.addSecs(20));
    const QJsonObject json = Verify::verdictToJson(verdict);
    QVERIFY2(verdict.verdict == Verify::VerdictStatus::Verified, QJsonDocument(json).toJson().constData());
    const QJsonObject signature = json.value(QStringLiteral("signature")).toObject();
    QCOMPARE(signature.value(QStringLiteral("scheme")).toString(), QStringLiteral("cavage"));
    QCOMPARE(signature.value(QStringLiteral("keyId")).toString(), QStringLiteral("provider-kid"));
    QCOMPARE(signature.value(QStringLiteral("signingString")).toString().toUtf8(), headers->signingString);
    QCOMPARE(json.value(QStringLiteral("digest")).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("valid"));

    // The provider's documented receiver (joyent http-signature) accepts it too.
    const Verify::Verifier node(m_publicKeys, *Verify::Policy::fromName(QStringLiteral("http-signature")));
    QCOMPARE(node.verify(request, input.date).verdict, Verify::VerdictStatus::Verified);
}

void TestProviderSigner::hookscopeVerifyAcceptsIt()
{
    QTemporaryDir dir;
    const auto input = sampleInput();
    const auto headers = Replay::ProviderSigner(m_key, QStringLiteral("provider-kid")).sign(input);
    QVERIFY(headers.has_value());
    QFile requestFile(dir.filePath(QStringLiteral("signed.http")));
    QVERIFY(requestFile.open(QIODevice::WriteOnly));
    requestFile.write(requestBytes(input, *headers, input.body));
    requestFile.close();
    auto jwks = Verify::keySetToJwks(m_publicKeys);
    QVERIFY(jwks.has_value());
    QFile jwksFile(dir.filePath(QStringLiteral("jwks.json")));
    QVERIFY(jwksFile.open(QIODevice::WriteOnly));
    jwksFile.write(*jwks);
    jwksFile.close();
    const CommandResult result = runHookscope({QStringLiteral("verify"), QStringLiteral("--jwks"), jwksFile.fileName(),
                                               QStringLiteral("--now"), QStringLiteral("2026-12-03T13:23:00Z"), QStringLiteral("--json"),
                                               requestFile.fileName()});
    QVERIFY2(result.exitCode == 0, result.out.constData());
    QCOMPARE(QJsonDocument::fromJson(result.out).object().value(QStringLiteral("verdict")).toString(), QStringLiteral("verified"));
}

void TestProviderSigner::tamperingIsCaught_data()
{
    QTest::addColumn<QByteArray>("from");
    QTest::addColumn<QByteArray>("to");
    QTest::addColumn<QString>("problem");
    QTest::newRow("body") << QByteArray("c-1") << QByteArray("c-2") << QStringLiteral("digest-mismatch");
    QTest::newRow("target") << QByteArray("tenant=7") << QByteArray("tenant=8") << QStringLiteral("signature-mismatch");
    QTest::newRow("host") << QByteArray("Host: 127.0.0.1:8080") << QByteArray("Host: 127.0.0.1:8081") << QStringLiteral("signature-mismatch");
    QTest::newRow("date") << QByteArray("13:22:31 GMT") << QByteArray("13:22:32 GMT") << QStringLiteral("signature-mismatch");
}

void TestProviderSigner::tamperingIsCaught()
{
    QFETCH(QByteArray, from);
    QFETCH(QByteArray, to);
    QFETCH(QString, problem);
    const auto input = sampleInput();
    const auto headers = Replay::ProviderSigner(m_key, QStringLiteral("provider-kid")).sign(input);
    QVERIFY(headers.has_value());
    const QByteArray raw = requestBytes(input, *headers, input.body).replace(from, to);
    const Verify::Verifier verifier(m_publicKeys, *Verify::Policy::fromName(QStringLiteral("strict")));
    const Verify::Verdict verdict = verifier.verify(Capture::parseRaw(raw), input.date);
    QCOMPARE(verdict.verdict, Verify::VerdictStatus::Failed);
    QVERIFY2(verdict.hasProblem(problem), QJsonDocument(Verify::verdictToJson(verdict)).toJson().constData());
}

void TestProviderSigner::deterministic()
{
    const Replay::ProviderSigner signer(m_key, QStringLiteral("k"));
    const auto first = signer.sign(sampleInput());
    const auto second = signer.sign(sampleInput());
    QVERIFY(first && second);
    QCOMPARE(first->fields, second->fields);
}

void TestProviderSigner::refusesWhatTheProviderCannotSign()
{
    auto ec = Verify::generateKey(Verify::KeyType::Ec, 0, QStringLiteral("P-256"));
    QVERIFY(ec.has_value());
    QVERIFY(!Replay::ProviderSigner(*ec, QStringLiteral("k")).sign(sampleInput()).has_value());
    QVERIFY(!Replay::ProviderSigner(m_publicKeys.keys().first(), QStringLiteral("k")).sign(sampleInput()).has_value());
    QVERIFY(!Replay::ProviderSigner(m_key, QStringLiteral("a\"b")).sign(sampleInput()).has_value());
}

QTEST_GUILESS_MAIN(TestProviderSigner)
#include "tst_providersigner.moc"
