#include "testdata.h"

#include "verify/jwk.h"
#include "verify/keysource.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace Verify;

namespace {

/// A real HTTP/1.1 server on 127.0.0.1 serving a JWKS with an ETag, plus oversized and silent paths.
class JwksServer final : public QObject
{
public:
    explicit JwksServer(const QByteArray &jwks) : m_jwks(jwks)
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] { serve(socket); });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }

    QString url(const char *path) const
    {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(QLatin1String(path));
    }

    int requests = 0;
    QList<QByteArray> heads;
    QByteArray etag = QByteArrayLiteral("\"v1\"");
    QByteArray cacheControl = QByteArrayLiteral("max-age=300");

private:
    void serve(QTcpSocket *socket)
    {
        QByteArray &buffer = m_pending[socket];
        buffer += socket->readAll();
        if (!buffer.contains("\r\n\r\n"))
            return;
        const QByteArray head = buffer;
        m_pending.remove(socket);
        ++requests;
        heads.append(head);
        const QByteArray path = head.split(' ').value(1);
        if (path == "/silent")
            return; // never answers
        if (path == "/big") {
            respond(socket, "200 OK", QByteArray(2 * 1024 * 1024, 'x'), {});
        } else if (path == "/big-chunked") {
            QByteArray chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
            const QByteArray chunk(64 * 1024, 'y');
            for (int i = 0; i < 20; ++i)
                chunked += QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n";
            socket->write(chunked + "0\r\n\r\n");
            socket->disconnectFromHost();
        } else if (head.contains(QByteArray("If-None-Match: " + etag))) {
            respond(socket, "304 Not Modified", {}, "ETag: " + etag + "\r\nCache-Control: " + cacheControl + "\r\n");
        } else {
            respond(socket, "200 OK", m_jwks, "ETag: " + etag + "\r\nCache-Control: " + cacheControl + "\r\n");
        }
    }

    static void respond(QTcpSocket *socket, const char *status, const QByteArray &body, const QByteArray &extra)
    {
        socket->write("HTTP/1.1 " + QByteArray(status) + "\r\nContent-Type: application/jwk-set+json\r\nContent-Length: "
                      + QByteArray::number(body.size()) + "\r\nConnection: close\r\n" + extra + "\r\n" + body);
        socket->disconnectFromHost();
    }

    QTcpServer m_server;
    QByteArray m_jwks;
    QHash<QTcpSocket *, QByteArray> m_pending;
};

QByteArray jwks() { return readVerifyData(QStringLiteral("jwk/rfc7517-A.1-public.jwks.json")); }

} // namespace

/// Key sources: files, inline secrets and JWKS over a real local HTTP server.
class TestKeySource final : public QObject
{
    Q_OBJECT

private slots:
    void plainHttpNeedsPermission()
    {
        JwksServer server(jwks());
        auto refused = loadKeySource(server.url("/jwks"));
        QVERIFY(!refused);
        QVERIFY(refused.error().contains(QStringLiteral("plain http")));
        QCOMPARE(server.requests, 0);
    }

    void fetchesJwks()
    {
        JwksServer server(jwks());
        KeySourceOptions options;
        options.allowHttp = true;
        auto result = loadKeySourceWithSnapshot(server.url("/jwks"), options);
        QVERIFY2(result, qPrintable(errorOf(result)));
        QCOMPARE(result->keys.keys().size(), 2);
        QVERIFY(result->keys.find(QStringLiteral("2011-04-29")));
        QCOMPARE(result->snapshot.etag, QByteArrayLiteral("\"v1\""));
        QCOMPARE(result->snapshot.document, jwks());
        QCOMPARE(result->snapshot.source, server.url("/jwks"));
        QVERIFY(result->snapshot.fetchedAt.isValid());
        // The snapshot rebuilds the same key set.
        auto rebuilt = keySetFromSnapshot(result->snapshot);
        QVERIFY(rebuilt);
        QCOMPARE(rebuilt->keys().size(), 2);
        QCOMPARE(rebuilt->keys().at(1)->thumbprint, result->keys.keys().at(1)->thumbprint);
        QCOMPARE(rebuilt->sources.value(0).etag, result->snapshot.etag);
    }

    void etagRevalidationAndMaxAge()
    {
        JwksServer server(jwks());
        QDateTime clock = QDateTime(QDate(2024, 1, 1), QTime(12, 0), Qt::UTC);
        KeySourceOptions options;
        options.allowHttp = true;
        options.clock = [&clock] { return clock; };
        KeySource source(server.url("/jwks"), options);
        QSignalSpy loaded(&source, &KeySource::loaded);
        source.load();
        QVERIFY(loaded.wait());
        QCOMPARE(loaded.takeFirst().at(1).toBool(), false);
        QVERIFY(source.isFresh());

        // Fresh (max-age=300): no request at all.
        source.load();
        QCOMPARE(loaded.size(), 1);
        QCOMPARE(server.requests, 1);
        loaded.clear();

        // Stale: a conditional request; the server answers 304 and the keys stay.
        clock = clock.addSecs(301);
        QVERIFY(!source.isFresh());
        source.load();
        QVERIFY(loaded.wait());
        QCOMPARE(server.requests, 2);
        QVERIFY(server.heads.last().contains("If-None-Match: \"v1\""));
        QCOMPARE(loaded.takeFirst().at(1).toBool(), true);
        QCOMPARE(source.keySet().keys().size(), 2);
        QVERIFY(source.isFresh());
    }

    void unknownKidRefetchIsRateLimited()
    {
        JwksServer server(jwks());
        server.cacheControl = "no-cache";
        QDateTime clock = QDateTime(QDate(2024, 1, 1), QTime(12, 0), Qt::UTC);
        KeySourceOptions options;
        options.allowHttp = true;
        options.clock = [&clock] { return clock; };
        KeySource source(server.url("/jwks"), options);
        QSignalSpy loaded(&source, &KeySource::loaded);
        source.load();
        QVERIFY(loaded.wait());
        QVERIFY(source.refetchForUnknownKid(QStringLiteral("new-key")));
        QVERIFY(loaded.wait());
        QCOMPARE(server.requests, 2);
        QVERIFY(!source.refetchForUnknownKid(QStringLiteral("new-key")));
        clock = clock.addSecs(30);
        QVERIFY(!source.refetchForUnknownKid(QStringLiteral("other")));
        clock = clock.addSecs(31);
        QVERIFY(source.refetchForUnknownKid(QStringLiteral("other")));
        QVERIFY(loaded.wait());
        QCOMPARE(server.requests, 3);
    }

    void responseLimit()
    {
        JwksServer server(jwks());
        KeySourceOptions options;
        options.allowHttp = true;
        for (const char *path : {"/big", "/big-chunked"}) {
            auto result = loadKeySource(server.url(path), options);
            QVERIFY(!result);
            QVERIFY2(result.error().contains(QStringLiteral("larger than 1048576 bytes")), qPrintable(result.error()));
        }
    }

    void timeout()
    {
        JwksServer server(jwks());
        KeySourceOptions options;
        options.allowHttp = true;
        options.timeout = std::chrono::milliseconds(300);
        auto result = loadKeySource(server.url("/silent"), options);
        QVERIFY(!result);
        QVERIFY2(result.error().contains(QStringLiteral("timed out")), qPrintable(result.error()));
    }

    void files()
    {
        QTemporaryDir dir;
        const auto write = [&](const char *name, const QByteArray &content) {
            QFile file(dir.filePath(QLatin1String(name)));
            file.open(QIODevice::WriteOnly);
            file.write(content);
            return file.fileName();
        };
        auto set = loadKeySource(write("keys.jwks", jwks()));
        QVERIFY2(set, qPrintable(errorOf(set)));
        QCOMPARE(set->keys().size(), 2);
        auto single = loadKeySource(write("one.jwk", readVerifyData(QStringLiteral("jwk/rfc8037-A.2-ed25519-public.jwk.json"))));
        QVERIFY2(single, qPrintable(errorOf(single)));
        QCOMPARE(single->keys().first()->type, KeyType::Ed25519);
        // A lone PEM key answers to any keyId (the cavage vector key is named "Test" only in the request).
        auto pem = loadKeySource(write("key.pem", readVerifyData(QStringLiteral("keys/cavage-test-key.public.pem"))));
        QVERIFY2(pem, qPrintable(errorOf(pem)));
        QVERIFY(pem->find(QStringLiteral("Test")));
        QCOMPARE(pem->find(QStringLiteral("Test"))->bits, 1024);
        auto two = loadKeySource(write("two.pem", readVerifyData(QStringLiteral("keys/test-key-rsa.public.pem"))
                                                      + readVerifyData(QStringLiteral("keys/test-key-ecc-p256.public.pem"))));
        QVERIFY(two);
        QCOMPARE(two->keys().size(), 2);
        QVERIFY(!loadKeySource(write("junk.txt", "hello")));
        QVERIFY(!loadKeySource(dir.filePath(QStringLiteral("missing.json"))));
    }

    void inlineSecrets()
    {
        auto plain = keyFromInlineSecret(QStringLiteral("k1=s3cr=t"));
        QVERIFY(plain);
        QCOMPARE((*plain)->kid, QStringLiteral("k1"));
        QCOMPARE((*plain)->secret, QByteArrayLiteral("s3cr=t"));
        QCOMPARE((*plain)->type, KeyType::Oct);
        auto encoded = keyFromInlineSecret(QStringLiteral("k2=base64:AAEC/w=="));
        QVERIFY(encoded);
        QCOMPARE((*encoded)->secret, QByteArray::fromHex("000102ff"));
        QVERIFY(!keyFromInlineSecret(QStringLiteral("k3=base64:AAEC_w==")));
        QVERIFY(!keyFromInlineSecret(QStringLiteral("=secret")));
        QVERIFY(!keyFromInlineSecret(QStringLiteral("k4=")));
    }
};

QTEST_GUILESS_MAIN(TestKeySource)
#include "tst_keysource.moc"
