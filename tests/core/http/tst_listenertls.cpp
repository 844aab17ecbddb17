// Http::Listener over TLS in-process: self-signed and user certificates, QSslSocket and curl
// clients, the same connection rules as plain HTTP.
#include "listenerharness.h"

#include "http/tlsconfiguration.h"

#include <QDir>
#include <QFile>
#include <QSslCertificate>
#include <QSslSocket>
#include <QTest>

class TestListenerTls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void tlsSelfSigned();
    void tlsConnections();
    void tlsMaxConnections();
    void tlsFiles();
    void tlsBadKey();
};

void TestListenerTls::init()
{
    if (!QSslSocket::supportsSsl())
        QSKIP("no TLS backend");
}

namespace {

Http::ListenerOptions selfSignedOptions()
{
    Http::ListenerOptions options = localOptions();
    options.tls = Http::TlsMode::SelfSigned;
    return options;
}

/// Connects and completes the handshake (any certificate accepted: they are self-signed).
bool connectTls(QSslSocket &socket, quint16 port)
{
    socket.setPeerVerifyMode(QSslSocket::VerifyNone);
    socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
    if (socket.waitForEncrypted(answerTimeoutMs))
        return true;
    qWarning() << "TLS handshake failed:" << socket.errorString();
    return false;
}

/// One request over TLS; the response and the server's certificate.
HttpResponse tlsExchange(quint16 port, const QByteArray &request, QSslCertificate *peer = nullptr)
{
    QSslSocket socket;
    if (!connectTls(socket, port))
        return {};
    if (peer)
        *peer = socket.peerCertificate();
    socket.write(request);
    QByteArray buffer;
    const QList<HttpResponse> responses = readResponses(socket, buffer, 1);
    return responses.value(0);
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

void TestListenerTls::tlsSelfSigned()
{
    const Http::ListenerOptions options = selfSignedOptions();
    Server server(options);
    QVERIFY2(server.isListening(), qPrintable(server.error()));
    QCOMPARE(server.listener().url().scheme(), QStringLiteral("https"));

    QSslCertificate presented;
    QCOMPARE(tlsExchange(server.port(), post("/tls", "secret"), &presented).status, 200);
    const QList<Http::CapturedRequest> captures = server.captures();
    QCOMPARE(captures.size(), 1);
    QVERIFY2(captures.first().tlsProtocol == QStringLiteral("TLSv1.2") || captures.first().tlsProtocol == QStringLiteral("TLSv1.3"),
             qPrintable(captures.first().tlsProtocol));
    QVERIFY(!captures.first().tlsCipher.isEmpty());
    QCOMPARE(captures.first().bodyView(), QByteArrayView("secret"));

    const QString certificateFile = server.dataPath(QStringLiteral("tls/localhost-cert.pem"));
    QVERIFY(QFile::exists(server.dataPath(QStringLiteral("tls/localhost-key.pem"))));
    const QByteArray pem = readAll(certificateFile);
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(pem, QSsl::Pem);
    QCOMPARE(certificates.size(), 1);
    QCOMPARE(presented, certificates.first());
    const auto names = certificates.first().subjectAlternativeNames();
    QVERIFY(names.values(QSsl::DnsEntry).contains(QStringLiteral("localhost")));
    QVERIFY(names.values(QSsl::IpAddressEntry).contains(QStringLiteral("127.0.0.1")));

    // curl over https.
    std::unique_ptr<QProcess> curl(runCurl(nullptr, {QStringLiteral("-k"), QStringLiteral("-sS"), QStringLiteral("-o"), QStringLiteral("/dev/null"),
                                                     QStringLiteral("-w"), QStringLiteral("%{http_code}"), QStringLiteral("-d"), QStringLiteral("x=1"),
                                                     QStringLiteral("https://127.0.0.1:%1/curl-tls").arg(server.port())}));
    QVERIFY(curl->waitForFinished(30000));
    QVERIFY2(curl->readAllStandardOutput() == "200", curl->readAllStandardError().constData());
    QCOMPARE(server.captures().value(1).target, QByteArray("/curl-tls"));
    QVERIFY(server.captures().value(1).isTls());

    // Plain HTTP to the TLS port: no answer, and the connection is not kept.
    bool closed = false;
    QCOMPARE(exchange(server.port(), get("/plain"), &closed).status, 0);
    QVERIFY(closed);
    QVERIFY(waitForConnections(server.listener(), 0));

    // A second start reuses the same certificate.
    server.listener().stop();
    QVERIFY2(server.start(options), qPrintable(server.error()));
    QSslCertificate again;
    QCOMPARE(tlsExchange(server.port(), get("/again"), &again).status, 200);
    QCOMPARE(readAll(certificateFile), pem);
    QCOMPARE(again, presented);
}

void TestListenerTls::tlsConnections()
{
    Http::ListenerOptions options = selfSignedOptions();
    options.headerTimeoutMs = 1000;
    Server server(options);
    QVERIFY2(server.isListening(), qPrintable(server.error()));

    // Keep-alive with a body of 1 MiB, then half a head: 408 as on plain TCP.
    QSslSocket socket;
    QVERIFY(connectTls(socket, server.port()));
    QByteArray buffer;
    for (int i = 0; i < 5; ++i) {
        socket.write(post("/tls/" + QByteArray::number(i), QByteArray(i == 2 ? 1024 * 1024 : 10, 't')));
        QCOMPARE(readResponses(socket, buffer, 1).value(0).status, 200);
    }
    const QByteArray half = "POST /tls-half HTTP/1.1\r\nHost: a\r\n";
    socket.write(half);
    const HttpResponse timeout = readResponses(socket, buffer, 1).value(0);
    QCOMPARE(timeout.status, 408);
    QVERIFY(timeout.closes());
    QVERIFY(waitClosed(socket));

    // A client gone in the middle of a request: recorded like on plain TCP.
    QSslSocket gone;
    QVERIFY(connectTls(gone, server.port()));
    const QByteArray partial = "POST /tls-gone HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nsome";
    gone.write(partial);
    QVERIFY(gone.waitForBytesWritten(answerTimeoutMs));
    gone.disconnectFromHost();
    QVERIFY(gone.state() == QAbstractSocket::UnconnectedState || gone.waitForDisconnected(answerTimeoutMs));
    QDeadlineTimer deadline(answerTimeoutMs);
    while (server.store().committedCount() < 7 && !deadline.hasExpired())
        QThread::msleep(10);
    QVERIFY(waitForConnections(server.listener(), 0));

    const QList<Http::CapturedRequest> captures = server.captures();
    QCOMPARE(captures.size(), 7);
    QCOMPARE(captures[2].bodyLength, 1024 * 1024);
    QCOMPARE(captures[5].rejection.code, QStringLiteral("request-timeout"));
    QCOMPARE(captures[5].raw, half);
    QCOMPARE(captures[6].rejection.code, QStringLiteral("incomplete-request"));
    QCOMPARE(captures[6].raw, partial);
    QVERIFY(captures[6].isTls());
}

void TestListenerTls::tlsMaxConnections()
{
    Http::ListenerOptions options = selfSignedOptions();
    options.maxConnections = 1;
    Server server(options);
    QVERIFY2(server.isListening(), qPrintable(server.error()));
    QSslSocket first;
    QVERIFY(connectTls(first, server.port()));
    QVERIFY(waitForConnections(server.listener(), 1));

    // Over the limit an HTTPS client is closed, not sent a plain-text 503.
    RawSocket over;
    QVERIFY(over.connectTo(server.port()));
    over.readToEnd(answerTimeoutMs);
    QVERIFY(over.atEof());
    QCOMPARE(over.received(), QByteArray());
    first.write(get("/first"));
    QByteArray buffer;
    QCOMPARE(readResponses(first, buffer, 1).value(0).status, 200);
}

namespace {

/// Options for TlsMode::Files with a certificate and key made in dir.
Http::ListenerOptions userCertificateOptions(const QTemporaryDir &dir)
{
    Http::ListenerOptions options = localOptions();
    options.tls = Http::TlsMode::Files;
    options.tlsCertificateFile = dir.filePath(QStringLiteral("user-cert.pem"));
    options.tlsKeyFile = dir.filePath(QStringLiteral("user-key.pem"));
    if (const auto created = Http::createSelfSignedCertificate(options.tlsCertificateFile, options.tlsKeyFile); !created)
        qWarning() << created.error();
    return options;
}

} // namespace

void TestListenerTls::tlsFiles()
{
    QTemporaryDir dir;
    const Http::ListenerOptions options = userCertificateOptions(dir);
    Server server(options);
    QVERIFY2(server.isListening(), qPrintable(server.error()));
    QSslCertificate presented;
    QCOMPARE(tlsExchange(server.port(), get("/files"), &presented).status, 200);
    QCOMPARE(presented, QSslCertificate::fromData(readAll(options.tlsCertificateFile), QSsl::Pem).value(0));
    QVERIFY(!QDir(server.dataPath(QStringLiteral("tls"))).exists()); // nothing generated
}

void TestListenerTls::tlsBadKey()
{
    QTemporaryDir dir;
    const Http::ListenerOptions options = userCertificateOptions(dir);
    QVERIFY(QFile::remove(options.tlsKeyFile));
    Server missing(options);
    QVERIFY(!missing.isListening());
    QVERIFY2(missing.error().contains(options.tlsKeyFile), qPrintable(missing.error()));

    // A certificate where the key should be.
    QVERIFY(QFile::copy(options.tlsCertificateFile, options.tlsKeyFile));
    Server wrong(options);
    QVERIFY(!wrong.isListening());
    QVERIFY2(wrong.error().contains(options.tlsKeyFile), qPrintable(wrong.error()));
}

QTEST_GUILESS_MAIN(TestListenerTls)
#include "tst_listenertls.moc"
