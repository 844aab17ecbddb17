// `hookscope send` end to end: the emulator signs and POSTs sample webhooks to a real
// `hookscope listen`, which verifies them with the JWKS the emulator wrote.
#include "../cli/hookscopeprocess.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTemporaryDir>

class TestSendCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void keyIsCreatedOnceAndKept();
    void listenVerifiesWhatSendSigns();
    void customKeyAndKid();
    void httpsVerifiesCertificatesUnlessInsecure();
    void failuresAndUsageErrors();

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }
    QTemporaryDir m_dir;
};

void TestSendCli::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // The emulator key goes to the per-user data folder: a private one for these processes.
    qputenv("XDG_DATA_HOME", m_dir.filePath(QStringLiteral("data")).toUtf8());
}

void TestSendCli::keyIsCreatedOnceAndKept()
{
    const CommandResult first = runHookscope({QStringLiteral("send"), QStringLiteral("--to"), QStringLiteral("http://127.0.0.1:1/"),
                                              QStringLiteral("--count"), QStringLiteral("0"), QStringLiteral("--jwks-out"), path(QStringLiteral("a.jwks"))});
    QVERIFY2(first.exitCode == 0, first.err.constData());
    QVERIFY(first.out.isEmpty());
    const QString privatePem = path(QStringLiteral("data/hookscope/emulator/private.pem"));
    QVERIFY(QFile::exists(privatePem));
    QCOMPARE(QFile::permissions(privatePem) & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup | QFileDevice::WriteOther),
             QFileDevice::Permissions());
    QFile pem(privatePem);
    QVERIFY(pem.open(QIODevice::ReadOnly));
    const QByteArray pemBytes = pem.readAll();
    QVERIFY(pemBytes.startsWith("-----BEGIN PRIVATE KEY-----"));

    QFile jwksFile(path(QStringLiteral("a.jwks")));
    QVERIFY(jwksFile.open(QIODevice::ReadOnly));
    const QByteArray jwks = jwksFile.readAll();
    const QJsonArray keys = QJsonDocument::fromJson(jwks).object().value(QStringLiteral("keys")).toArray();
    QCOMPARE(keys.size(), 1);
    const QJsonObject key = keys.first().toObject();
    QCOMPARE(key.value(QStringLiteral("kty")).toString(), QStringLiteral("RSA"));
    QVERIFY(!key.contains(QStringLiteral("d"))); // public only
    QCOMPARE(key.value(QStringLiteral("kid")).toString().size(), 43); // RFC 7638 SHA-256 thumbprint, base64url

    // Run again: the same key, the same JWKS.
    const CommandResult second = runHookscope({QStringLiteral("send"), QStringLiteral("--to"), QStringLiteral("http://127.0.0.1:1/"),
                                               QStringLiteral("--count"), QStringLiteral("0"), QStringLiteral("--jwks-out"), path(QStringLiteral("b.jwks"))});
    QCOMPARE(second.exitCode, 0);
    QFile again(path(QStringLiteral("b.jwks")));
    QVERIFY(again.open(QIODevice::ReadOnly));
    QCOMPARE(again.readAll(), jwks);
    QVERIFY(pem.seek(0));
    QCOMPARE(pem.readAll(), pemBytes);
}

void TestSendCli::listenVerifiesWhatSendSigns()
{
    const QString jwks = path(QStringLiteral("emulator.jwks"));
    QCOMPARE(runHookscope({QStringLiteral("send"), QStringLiteral("--to"), QStringLiteral("http://127.0.0.1:1/"), QStringLiteral("--count"),
                           QStringLiteral("0"), QStringLiteral("--jwks-out"), jwks}).exitCode, 0);
    ListenProcess listen({QStringLiteral("--store"), path(QStringLiteral("send.sqlite")), QStringLiteral("--jwks"), jwks, QStringLiteral("--json")});
    const quint16 port = listen.waitForPort();
    QVERIFY(port != 0);

    const QString url = QStringLiteral("http://127.0.0.1:%1/").arg(port);
    const CommandResult sent = runHookscope({QStringLiteral("send"), QStringLiteral("--to"), url, QStringLiteral("--event"),
                                             QStringLiteral("conversation-ended"), QStringLiteral("--jwks-out"), jwks});
    QVERIFY2(sent.exitCode == 0, sent.err.constData());
    QCOMPARE(sent.out, QByteArray("sent 1: 200\n"));
    const QList<QByteArray> lines = listen.readLines(1, 60000);
    QCOMPARE(lines.size(), 1);
    const QJsonObject capture = QJsonDocument::fromJson(lines.first()).object();
    const QJsonObject verification = capture.value(QStringLiteral("verification")).toObject();
    QVERIFY2(verification.value(QStringLiteral("verdict")).toString() == QLatin1String("verified"), lines.first().constData());
    QCOMPARE(verification.value(QStringLiteral("signature")).toObject().value(QStringLiteral("covered")).toArray(),
             QJsonArray({QStringLiteral("(request-target)"), QStringLiteral("host"), QStringLiteral("date"), QStringLiteral("digest")}));
    QCOMPARE(capture.value(QStringLiteral("event")).toObject().value(QStringLiteral("type")).toString(), QStringLiteral("Conversation Ended"));
    QCOMPARE(capture.value(QStringLiteral("method")).toString(), QStringLiteral("POST"));

    // --count: each request signed afresh and verified; a target with a query; a body file.
    QFile body(path(QStringLiteral("body.json")));
    QVERIFY(body.open(QIODevice::WriteOnly));
    body.write(R"({"type":"COUPON_CREATION","data":{"code":"X1"}})");
    body.close();
    const CommandResult twice = runHookscope({QStringLiteral("send"), QStringLiteral("--to"), url + QStringLiteral("hooks?tenant=a%20b"),
                                              QStringLiteral("--body"), body.fileName(), QStringLiteral("--count"), QStringLiteral("2")});
    QVERIFY2(twice.exitCode == 0, twice.err.constData());
    QCOMPARE(twice.out, QByteArray("sent 1: 200\nsent 2: 200\n"));
    const QList<QByteArray> more = listen.readLines(2, 60000);
    QCOMPARE(more.size(), 2);
    for (const QByteArray &line : more) {
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        QCOMPARE(object.value(QStringLiteral("target")).toString(), QStringLiteral("/hooks?tenant=a%20b"));
        QCOMPARE(object.value(QStringLiteral("bodyBytes")).toInt(), int(body.size()));
        QVERIFY2(object.value(QStringLiteral("verification")).toObject().value(QStringLiteral("verdict")).toString() == QLatin1String("verified"),
                 line.constData());
    }
}

void TestSendCli::customKeyAndKid()
{
    // A key of one's own, as `openssl genpkey` writes it.
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"), {QStringLiteral("genpkey"), QStringLiteral("-algorithm"), QStringLiteral("RSA"),
                                              QStringLiteral("-pkeyopt"), QStringLiteral("rsa_keygen_bits:2048"),
                                              QStringLiteral("-out"), path(QStringLiteral("own.pem"))});
    if (!openssl.waitForFinished(60000) || openssl.exitCode() != 0)
        QSKIP("openssl genpkey is not available");
    const QString jwks = path(QStringLiteral("own.jwks"));
    QCOMPARE(runHookscope({QStringLiteral("send"), QStringLiteral("--to"), QStringLiteral("http://127.0.0.1:1/"), QStringLiteral("--key"),
                           path(QStringLiteral("own.pem")), QStringLiteral("--kid"), QStringLiteral("my-kid"), QStringLiteral("--count"),
                           QStringLiteral("0"), QStringLiteral("--jwks-out"), jwks}).exitCode, 0);
    ListenProcess listen({QStringLiteral("--store"), path(QStringLiteral("own.sqlite")), QStringLiteral("--jwks"), jwks, QStringLiteral("--json")});
    const quint16 port = listen.waitForPort();
    QVERIFY(port != 0);
    const CommandResult sent = runHookscope({QStringLiteral("send"), QStringLiteral("--to"), QStringLiteral("http://127.0.0.1:%1/own").arg(port),
                                             QStringLiteral("--key"), path(QStringLiteral("own.pem")), QStringLiteral("--kid"), QStringLiteral("my-kid"),
                                             QStringLiteral("--event"), QStringLiteral("Coupon Redemption")});
    QVERIFY2(sent.exitCode == 0, sent.err.constData());
    const QList<QByteArray> lines = listen.readLines(1, 60000);
    QCOMPARE(lines.size(), 1);
    const QJsonObject verification = QJsonDocument::fromJson(lines.first()).object().value(QStringLiteral("verification")).toObject();
    QCOMPARE(verification.value(QStringLiteral("verdict")).toString(), QStringLiteral("verified"));
    QCOMPARE(verification.value(QStringLiteral("signature")).toObject().value(QStringLiteral("keyId")).toString(), QStringLiteral("my-kid"));
}

void TestSendCli::httpsVerifiesCertificatesUnlessInsecure()
{
    const QString jwks = path(QStringLiteral("tls.jwks"));
    QCOMPARE(runHookscope({QStringLiteral("send"), QStringLiteral("--to"), QStringLiteral("http://127.0.0.1:1/"), QStringLiteral("--count"),
                           QStringLiteral("0"), QStringLiteral("--jwks-out"), jwks}).exitCode, 0);
    ListenProcess listen({QStringLiteral("--store"), path(QStringLiteral("tls.sqlite")), QStringLiteral("--tls-self-signed"),
                          QStringLiteral("--jwks"), jwks, QStringLiteral("--json")});
    const quint16 port = listen.waitForPort();
    QVERIFY(port != 0);
    QVERIFY(listen.firstLine().startsWith("listening on https://"));
    const QString url = QStringLiteral("https://127.0.0.1:%1/tls").arg(port);

    // The default verifies the certificate: a self-signed one is refused, nothing is sent.
    const CommandResult refused = runHookscope({QStringLiteral("send"), QStringLiteral("--to"), url});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.out.startsWith("sent 1: failed ("), refused.out.constData());

    const CommandResult sent = runHookscope({QStringLiteral("send"), QStringLiteral("--to"), url, QStringLiteral("--insecure")});
    QVERIFY2(sent.exitCode == 0, sent.err.constData());
    QCOMPARE(sent.out, QByteArray("sent 1: 200\n"));
    // Lines of rejected TLS handshakes may come first: find the capture of /tls.
    QJsonObject capture;
    for (int attempt = 0; attempt < 5 && capture.isEmpty(); ++attempt) {
        for (const QByteArray &line : listen.readLines(1, 60000)) {
            const QJsonObject object = QJsonDocument::fromJson(line).object();
            if (object.value(QStringLiteral("target")).toString() == QLatin1String("/tls"))
                capture = object;
        }
    }
    QVERIFY(!capture.isEmpty());
    QCOMPARE(capture.value(QStringLiteral("verification")).toObject().value(QStringLiteral("verdict")).toString(), QStringLiteral("verified"));
    QVERIFY(capture.contains(QStringLiteral("tls")));
}

void TestSendCli::failuresAndUsageErrors()
{
    // Nobody listening: the work ran and failed.
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const quint16 deadPort = closed.serverPort();
    closed.close();
    const CommandResult refused = runHookscope({QStringLiteral("send"), QStringLiteral("--to"), QStringLiteral("http://127.0.0.1:%1/").arg(deadPort)});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.out.startsWith("sent 1: failed ("), refused.out.constData());

    // A non-2xx answer fails too.
    ListenProcess listen({QStringLiteral("--store"), path(QStringLiteral("500.sqlite")), QStringLiteral("--respond"), QStringLiteral("500")});
    const quint16 port = listen.waitForPort();
    QVERIFY(port != 0);
    const CommandResult answered = runHookscope({QStringLiteral("send"), QStringLiteral("--to"), QStringLiteral("http://127.0.0.1:%1/").arg(port)});
    QCOMPARE(answered.exitCode, 1);
    QCOMPARE(answered.out, QByteArray("sent 1: 500\n"));

    struct Case { QStringList arguments; QByteArray mention; };
    const QList<Case> cases{
        {{QStringLiteral("send")}, "--to"},
        {{QStringLiteral("send"), QStringLiteral("--to"), QStringLiteral("ftp://x/")}, "ftp://x/"},
        {{QStringLiteral("send"), QStringLiteral("--to"), QStringLiteral("http://127.0.0.1:1/"), QStringLiteral("--event"), QStringLiteral("nope")},
         "conversation-ended"},
        {{QStringLiteral("send"), QStringLiteral("--to"), QStringLiteral("http://127.0.0.1:1/"), QStringLiteral("--event"), QStringLiteral("coupon-charged"),
          QStringLiteral("--body"), QStringLiteral("x")}, "--body"},
        {{QStringLiteral("send"), QStringLiteral("--to"), QStringLiteral("http://127.0.0.1:1/"), QStringLiteral("--count"), QStringLiteral("-1")}, "--count"},
        {{QStringLiteral("send"), QStringLiteral("--to"), QStringLiteral("http://127.0.0.1:1/"), QStringLiteral("--key"), path(QStringLiteral("missing.pem"))},
         "missing.pem"},
        {{QStringLiteral("send"), QStringLiteral("--to"), QStringLiteral("http://127.0.0.1:1/"), QStringLiteral("--body"), path(QStringLiteral("missing.json"))},
         "missing.json"},
    };
    for (const Case &c : cases) {
        const CommandResult result = runHookscope(c.arguments);
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.out.isEmpty());
        QCOMPARE(result.err.count('\n'), 1);
        QVERIFY2(result.err.contains(c.mention), result.err.constData());
    }
    const CommandResult help = runHookscope({QStringLiteral("send"), QStringLiteral("--help")});
    QCOMPARE(help.exitCode, 0);
    for (const char *option : {"--to", "--event", "--body", "--key", "--kid", "--jwks-out", "--count", "--insecure", "sent N: STATUS"})
        QVERIFY2(help.out.contains(option), option);
}

QTEST_GUILESS_MAIN(TestSendCli)
#include "tst_sendcli.moc"
