// Http::Listener in-process, on 127.0.0.1 port 0 with a real Capture::Store, driven by real
// clients: QTcpSocket, raw POSIX sockets and curl. The listener runs on its own threads, so
// this thread blocks on its client sockets. HTTPS: tst_listenertls.cpp.
#include "listenerharness.h"

#include <QTest>

#include <sys/resource.h>

#include <atomic>
#include <thread>

class TestListener : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keepAlive();
    void expectContinue();
    void expectContinueTooLarge();
    void expectContinueCurl();
    void requestTimeout_data();
    void requestTimeout();
    void idleTimeout();
    void hostileClientsDoNotDelayOthers();
    void slowLargeUploadDoesNotBlockOthers();
    void maxConnections();
    void abandonedConnections();
    void halfClose();
    void rejectedLimits_data();
    void rejectedLimits();
    void pipeliningOrder();
    void gracefulStop();
    void portInUse();
    void thousandConnections();
};

void TestListener::keepAlive()
{
    Server server;
    QVERIFY2(server.isListening(), qPrintable(server.error()));
    QTcpSocket socket;
    QVERIFY(connectTo(socket, server.port()));
    QByteArray buffer;
    constexpr int count = 50;
    for (int i = 1; i <= count; ++i) {
        socket.write(post("/k/" + QByteArray::number(i), "body " + QByteArray::number(i)));
        const QList<HttpResponse> responses = readResponses(socket, buffer, 1);
        QCOMPARE(responses.size(), 1);
        QCOMPARE(responses.first().status, 200);
        QVERIFY(!responses.first().closes());
    }
    QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
    const quint16 clientPort = socket.localPort();

    // The end of persistence (RFC 9112 §9.3): "Connection: close", or HTTP/1.0 without keep-alive.
    socket.write("GET /last HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    const HttpResponse last = readResponses(socket, buffer, 1).value(0);
    QCOMPARE(last.status, 200);
    QVERIFY(last.closes());
    QVERIFY(waitClosed(socket));
    bool closed = false;
    QCOMPARE(exchange(server.port(), "GET /old HTTP/1.0\r\n\r\n", &closed).status, 200);
    QVERIFY(closed);

    QList<Http::CapturedRequest> captures = server.captures();
    QCOMPARE(captures.size(), count + 2);
    QCOMPARE(captures.takeLast().version, QByteArray("HTTP/1.0"));
    QCOMPARE(captures.takeLast().target, QByteArray("/last"));
    for (int i = 0; i < count; ++i) {
        QCOMPARE(captures[i].target, "/k/" + QByteArray::number(i + 1));
        QCOMPARE(captures[i].bodyView(), QByteArray("body " + QByteArray::number(i + 1)));
        QCOMPARE(captures[i].remotePort, clientPort); // all on the one connection
        QCOMPARE(captures[i].responseStatus, 200);
    }
}

void TestListener::expectContinue()
{
    Server server;
    QVERIFY2(server.isListening(), qPrintable(server.error()));
    QTcpSocket socket;
    QVERIFY(connectTo(socket, server.port()));
    socket.write("POST /expect HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
    QByteArray buffer;
    const QList<HttpResponse> interim = readResponses(socket, buffer, 1);
    QCOMPARE(interim.size(), 1);
    QCOMPARE(interim.first().head, QByteArray("HTTP/1.1 100 Continue\r\n\r\n"));
    QVERIFY(buffer.isEmpty());

    socket.write("hello");
    const QList<HttpResponse> final = readResponses(socket, buffer, 1);
    QCOMPARE(final.size(), 1);
    QCOMPARE(final.first().status, 200);

    // Behind a pipelined request, the 100 waits for that request's answer (RFC 9112 §9.3.2).
    socket.write(get("/before") + "POST /expect2 HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
    const QList<HttpResponse> inOrder = readResponses(socket, buffer, 2);
    QCOMPARE(inOrder.size(), 2);
    QCOMPARE(inOrder[0].status, 200);
    QCOMPARE(inOrder[1].status, 100);
    socket.write("ok");
    QCOMPARE(readResponses(socket, buffer, 1).value(0).status, 200);

    const QList<Http::CapturedRequest> captures = server.captures();
    QCOMPARE(captures.size(), 3);
    QCOMPARE(captures.first().bodyView(), QByteArrayView("hello"));
    QCOMPARE(captures.last().bodyView(), QByteArrayView("ok"));
}

void TestListener::expectContinueTooLarge()
{
    Http::ListenerOptions options = localOptions();
    options.limits.maxBody = 1000;
    Server server(options);
    QVERIFY2(server.isListening(), qPrintable(server.error()));
    QTcpSocket socket;
    QVERIFY(connectTo(socket, server.port()));
    // RFC 9110 §10.1.1: a server that will refuse the body answers with the final status instead.
    socket.write("POST /big HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n");
    QByteArray buffer;
    const QList<HttpResponse> responses = readResponses(socket, buffer, 1);
    QCOMPARE(responses.size(), 1);
    QCOMPARE(responses.first().status, 413);
    QVERIFY(responses.first().closes());
    QVERIFY(waitClosed(socket));
    buffer += socket.readAll();
    QVERIFY2(buffer.isEmpty(), buffer.constData()); // no 100 Continue after it either

    const QList<Http::CapturedRequest> captures = server.captures();
    QCOMPARE(captures.size(), 1);
    QCOMPARE(captures.first().rejection.status, 413);
    QCOMPARE(captures.first().rejection.code, QStringLiteral("body-too-large"));
}

void TestListener::expectContinueCurl()
{
    Server server;
    QVERIFY2(server.isListening(), qPrintable(server.error()));
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("body.bin")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    // curl 7.69 and later add "Expect: 100-continue" themselves for bodies over 1 MiB.
    QByteArray body;
    for (int i = 0; i < 1536 * 1024; ++i)
        body.append(char('a' + i % 26));
    file.write(body);
    file.close();

    std::unique_ptr<QProcess> curl(runCurl(nullptr, {QStringLiteral("-sS"), QStringLiteral("-v"), QStringLiteral("-o"), QStringLiteral("/dev/null"),
                                                     QStringLiteral("-w"), QStringLiteral("%{http_code}"),
                                                     QStringLiteral("--data-binary"), QLatin1Char('@') + file.fileName(),
                                                     QStringLiteral("http://127.0.0.1:%1/curl").arg(server.port())}));
    QVERIFY(curl->waitForFinished(30000));
    const QByteArray log = curl->readAllStandardError();
    QCOMPARE(curl->readAllStandardOutput(), QByteArray("200"));
    QVERIFY2(log.contains("> Expect: 100-continue"), log.constData());
    QVERIFY2(log.contains("< HTTP/1.1 100 Continue"), log.constData());

    const QList<Http::CapturedRequest> captures = server.captures();
    QCOMPARE(captures.size(), 1);
    QVERIFY(captures.first().header("Expect"));
    QCOMPARE(captures.first().bodyView(), QByteArrayView(body));
}

void TestListener::requestTimeout_data()
{
    QTest::addColumn<QByteArray>("partial");
    QTest::newRow("half a head") << QByteArray("POST /half HTTP/1.1\r\nHost: a\r\nContent-Ty");
    QTest::newRow("body stalled") << QByteArray("POST /stall HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
}

void TestListener::requestTimeout()
{
    QFETCH(QByteArray, partial);
    Http::ListenerOptions options = localOptions();
    options.headerTimeoutMs = 1000;
    Server server(options);
    QVERIFY2(server.isListening(), qPrintable(server.error()));
    bool closed = false;
    const HttpResponse response = exchange(server.port(), partial, &closed);
    QCOMPARE(response.status, 408);
    QVERIFY(response.closes());
    QVERIFY(closed);

    // The partial request is captured as rejected, with every byte that came.
    const QList<Http::CapturedRequest> captures = server.captures();
    QCOMPARE(captures.size(), 1);
    const Http::CapturedRequest &capture = captures.first();
    QCOMPARE(capture.rejection.status, 408);
    QCOMPARE(capture.rejection.code, QStringLiteral("request-timeout"));
    QCOMPARE(capture.raw, partial);
    QCOMPARE(capture.rejection.offset, partial.size());
    QCOMPARE(capture.responseStatus, 408);
}

void TestListener::idleTimeout()
{
    Http::ListenerOptions options = localOptions();
    options.idleTimeoutMs = 1000;
    Server server(options);
    QVERIFY2(server.isListening(), qPrintable(server.error()));

    // After an answered request, and without any request at all: closed, no 408.
    QTcpSocket used;
    QVERIFY(connectTo(used, server.port()));
    QTcpSocket silent;
    QVERIFY(connectTo(silent, server.port()));
    used.write(get("/once"));
    QByteArray buffer;
    const QList<HttpResponse> responses = readResponses(used, buffer, 1);
    QCOMPARE(responses.size(), 1);
    QCOMPARE(responses.first().status, 200);

    QVERIFY(waitClosed(used));
    QVERIFY(waitClosed(silent));
    buffer += used.readAll();
    QVERIFY2(buffer.isEmpty(), buffer.constData());
    QCOMPARE(silent.readAll(), QByteArray());
    QVERIFY(waitForConnections(server.listener(), 0));
    QCOMPARE(server.captures().size(), 1);

    // Empty lines start no request (RFC 9112 §2.2): dripping them does not keep it open.
    RawSocket dripping;
    QVERIFY(dripping.connectTo(server.port()));
    QDeadlineTimer deadline(answerTimeoutMs);
    while (!dripping.atEof() && !deadline.hasExpired()) {
        dripping.sendSome("\r\n");
        dripping.readUntil(200, [](const QByteArray &) { return false; });
    }
    QVERIFY(dripping.atEof());
    QCOMPARE(dripping.received(), QByteArray());
}

void TestListener::hostileClientsDoNotDelayOthers()
{
    Server server;
    QVERIFY2(server.isListening(), qPrintable(server.error()));
    const quint16 port = server.port();

    std::atomic<bool> stopHostile = false;
    std::atomic<int> hostileConnected = 0;
    std::thread hostile([port, &stopHostile, &hostileConnected] {
        std::vector<RawSocket> slow(50);
        for (RawSocket &socket : slow) {
            if (socket.connectTo(port))
                ++hostileConnected;
        }
        RawSocket endless;
        if (endless.connectTo(port))
            ++hostileConnected;
        endless.sendSome("POST /endless HTTP/1.1\r\nHost: a\r\n");
        const QByteArray head = "POST /slowloris HTTP/1.1\r\nHost: a\r\nX-Slow: ";
        const QByteArray line = "X-Endless: " + QByteArray(1000, 'x') + "\r\n";
        for (qsizetype i = 0; !stopHostile; ++i) {
            const char byte = i < head.size() ? head[i] : 'z';
            for (RawSocket &socket : slow)
                socket.sendSome(QByteArrayView(&byte, 1));
            for (int n = 0; n < 10; ++n)
                endless.sendSome(line);
            QThread::msleep(100);
        }
    });

    // Meanwhile an ordinary client, one connection per request.
    QDeadlineTimer deadline(answerTimeoutMs);
    QDeadlineTimer waitForHostile(answerTimeoutMs);
    while (hostileConnected.load() < 51 && !waitForHostile.hasExpired())
        QThread::msleep(10);
    int answered = 0;
    for (int i = 0; i < 20 && !deadline.hasExpired(); ++i) {
        if (exchange(port, post("/normal/" + QByteArray::number(i), "{}")).status == 200)
            ++answered;
    }
    const bool inTime = !deadline.hasExpired();
    stopHostile = true;
    hostile.join();
    QCOMPARE(hostileConnected.load(), 51);
    QCOMPARE(answered, 20);
    QVERIFY(inTime);
}

void TestListener::slowLargeUploadDoesNotBlockOthers()
{
    Server server;
    QVERIFY2(server.isListening(), qPrintable(server.error()));
    const quint16 port = server.port();
    const qsizetype size = 16 * 1024 * 1024;

    std::atomic<bool> uploading = true;
    QByteArray uploadAnswer;
    std::thread uploader([port, size, &uploading, &uploadAnswer] {
        RawSocket socket;
        if (socket.connectTo(port)) {
            socket.send(QByteArray("POST /large HTTP/1.1\r\nHost: a\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                                   + QByteArray::number(size) + "\r\n\r\n"));
            const QByteArray piece(256 * 1024, 'L');
            bool ok = true;
            for (qsizetype sent = 0; sent < size && ok; sent += piece.size()) {
                ok = socket.send(piece);
                QThread::msleep(20);
            }
            uploadAnswer = socket.readUntil(60000, [](const QByteArray &received) { return received.contains("\r\n\r\n"); });
        }
        uploading = false;
    });

    int answered = 0;
    int answeredDuringUpload = 0;
    for (int i = 0; i < 20; ++i) {
        const bool during = uploading.load();
        if (exchange(port, get("/small/" + QByteArray::number(i))).status == 200) {
            ++answered;
            if (during && uploading.load())
                ++answeredDuringUpload;
        }
    }
    uploader.join();
    QCOMPARE(answered, 20);
    QVERIFY2(uploadAnswer.startsWith("HTTP/1.1 200 OK\r\n"), uploadAnswer.constData());
    qInfo("%d of 20 small requests were answered while the upload was under way", answeredDuringUpload);

    const QList<Http::CapturedRequest> captures = server.captures();
    QCOMPARE(captures.size(), 21);
    qsizetype largest = 0;
    for (const Http::CapturedRequest &capture : captures)
        largest = qMax(largest, capture.bodyLength);
    QCOMPARE(largest, size);
}

void TestListener::maxConnections()
{
    Http::ListenerOptions options = localOptions();
    options.maxConnections = 5;
    Server server(options);
    QVERIFY2(server.isListening(), qPrintable(server.error()));

    std::vector<std::unique_ptr<QTcpSocket>> idle;
    for (int i = 0; i < 5; ++i) {
        idle.push_back(std::make_unique<QTcpSocket>());
        QVERIFY(connectTo(*idle.back(), server.port()));
    }
    QVERIFY(waitForConnections(server.listener(), 5));

    // The sixth: 503 and closed, whether it waits or writes its request at once.
    for (bool writeFirst : {false, true}) {
        QTcpSocket sixth;
        QVERIFY(connectTo(sixth, server.port()));
        if (writeFirst)
            sixth.write(get("/sixth"));
        QByteArray buffer;
        const QList<HttpResponse> responses = readResponses(sixth, buffer, 1);
        QCOMPARE(responses.size(), 1);
        QCOMPARE(responses.first().status, 503);
        QVERIFY(responses.first().closes());
        QVERIFY(waitClosed(sixth));
    }
    QCOMPARE(server.listener().stats().connections.load(), 5);

    // The five are still served.
    idle.front()->write(get("/first"));
    QByteArray buffer;
    QCOMPARE(readResponses(*idle.front(), buffer, 1).value(0).status, 200);

    // After one closes, a new connection is served.
    idle.back()->disconnectFromHost();
    idle.pop_back();
    QVERIFY(waitForConnections(server.listener(), 4));
    QCOMPARE(exchange(server.port(), get("/after")).status, 200);
    QVERIFY(waitForConnections(server.listener(), 4));
}

void TestListener::abandonedConnections()
{
    Server server;
    QVERIFY2(server.isListening(), qPrintable(server.error()));
    constexpr int perKind = 25;
    for (int i = 0; i < 4 * perKind; ++i) {
        RawSocket client;
        QVERIFY(client.connectTo(server.port()));
        switch (i % 4) {
        case 0: client.close(); break;
        case 1: client.resetClose(); break;
        case 2: // half a head, then gone
            QVERIFY(client.send("POST /gone HTTP/1.1\r\nHost: a\r\nContent-Le"));
            client.close();
            break;
        default: // a whole request, gone before the answer
            QVERIFY(client.send(post("/unread/" + QByteArray::number(i), "x")));
            client.close();
            break;
        }
    }
    // Once the listener has seen them all (accepting may lag behind the clients)...
    QDeadlineTimer deadline(answerTimeoutMs);
    while (server.store().committedCount() < 2 * perKind && !deadline.hasExpired())
        QThread::msleep(10);
    // ...every one of them is released (the count maxConnections is checked against).
    QVERIFY(waitForConnections(server.listener(), 0));

    int complete = 0;
    int incomplete = 0;
    for (const Http::CapturedRequest &capture : server.captures()) {
        if (!capture.isRejected() && capture.target.startsWith("/unread/"))
            ++complete;
        else if (capture.rejection.status == 400 && capture.rejection.code == QStringLiteral("incomplete-request")
                 && capture.raw == "POST /gone HTTP/1.1\r\nHost: a\r\nContent-Le")
            ++incomplete;
        else
            QFAIL(capture.raw.constData());
    }
    QCOMPARE(complete, perKind);
    QCOMPARE(incomplete, perKind);
    QCOMPARE(exchange(server.port(), get("/alive")).status, 200);
}

void TestListener::halfClose()
{
    Server server;
    QVERIFY2(server.isListening(), qPrintable(server.error()));
    RawSocket socket;
    QVERIFY(socket.connectTo(server.port()));
    QVERIFY(socket.send(post("/half-closed", "payload")));
    socket.shutdownWrite(); // RFC 9112 §9.6: the client may half-close after its request
    QByteArray received = socket.readToEnd(answerTimeoutMs);
    QVERIFY(socket.atEof());
    const QList<HttpResponse> responses = takeResponses(received);
    QCOMPARE(responses.size(), 1);
    QCOMPARE(responses.first().status, 200);
    QVERIFY(received.isEmpty());
    QCOMPARE(server.captures().value(0).bodyView(), QByteArrayView("payload"));
}

void TestListener::rejectedLimits_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");

    QTest::newRow("414 request line") << get("/" + QByteArray(300, 'u')) << 414 << QStringLiteral("request-line-too-long");
    QTest::newRow("431 header bytes") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + QByteArray(2000, 'h') + "\r\n\r\n")
                                      << 431 << QStringLiteral("header-section-too-large");
    QByteArray many = "GET / HTTP/1.1\r\nHost: a\r\n";
    for (int i = 0; i < 12; ++i)
        many += "X-" + QByteArray::number(i) + ": v\r\n";
    QTest::newRow("431 header count") << QByteArray(many + "\r\n") << 431 << QStringLiteral("header-fields-too-many");
    QTest::newRow("413 chunked") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                                               "40\r\n" + QByteArray(0x40, 'c') + "\r\n40\r\n" + QByteArray(0x40, 'c') + "\r\n0\r\n\r\n")
                                 << 413 << QStringLiteral("body-too-large");
}

void TestListener::rejectedLimits()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QString, code);

    Http::ListenerOptions options = localOptions();
    options.limits.maxRequestLine = 200;
    options.limits.maxHeaderBytes = 1000;
    options.limits.maxHeaderFields = 10;
    options.limits.maxBody = 100;
    Server server(options);
    QVERIFY2(server.isListening(), qPrintable(server.error()));

    bool closed = false;
    const HttpResponse response = exchange(server.port(), request, &closed);
    QCOMPARE(response.status, status);
    QVERIFY(response.closes());
    QVERIFY(closed);

    // The listener keeps serving.
    QCOMPARE(exchange(server.port(), get("/next")).status, 200);

    const QList<Http::CapturedRequest> captures = server.captures();
    QCOMPARE(captures.size(), 2);
    const Http::CapturedRequest &rejected = captures.first();
    QCOMPARE(rejected.rejection.status, status);
    QCOMPARE(rejected.rejection.code, code);
    QVERIFY(!rejected.rejection.reason.isEmpty());
    QCOMPARE(rejected.responseStatus, status);
    QVERIFY(!rejected.raw.isEmpty());
    QVERIFY(request.startsWith(rejected.raw));
    QCOMPARE(rejected.rejection.offset, rejected.raw.size());
    QVERIFY(!captures.last().isRejected());
    QCOMPARE(server.listener().stats().rejected.load(), 1);
}

void TestListener::pipeliningOrder()
{
    Server server;
    QVERIFY2(server.isListening(), qPrintable(server.error()));
    QByteArray all;
    constexpr int count = 20;
    for (int i = 1; i <= count; ++i)
        all += i % 2 ? get("/p/" + QByteArray::number(i)) : post("/p/" + QByteArray::number(i), QByteArray(i, 'b'));
    QTcpSocket socket;
    QVERIFY(connectTo(socket, server.port()));
    socket.write(all);
    QByteArray buffer;
    const QList<HttpResponse> responses = readResponses(socket, buffer, count);
    QCOMPARE(responses.size(), count);
    for (const HttpResponse &response : responses)
        QCOMPARE(response.status, 200);

    const QList<Http::CapturedRequest> captures = server.captures();
    QCOMPARE(captures.size(), count);
    for (int i = 0; i < count; ++i)
        QCOMPARE(captures[i].target, "/p/" + QByteArray::number(i + 1));
}

void TestListener::gracefulStop()
{
    Server server;
    QVERIFY2(server.isListening(), qPrintable(server.error()));
    const quint16 port = server.port();
    RawSocket client;
    QVERIFY(client.connectTo(port));
    // The 100 Continue proves the listener is inside this request when stop() begins.
    QVERIFY(client.send("POST /in-flight HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n"));
    QByteArray interim = client.readUntil(answerTimeoutMs, [](const QByteArray &received) { return received.contains("\r\n\r\n"); });
    QCOMPARE(interim, QByteArray("HTTP/1.1 100 Continue\r\n\r\n"));
    QVERIFY(client.send("01234"));
    // Idle connections, one on each worker thread (they are handed out in turn): drain closes
    // them at once, which tells when stop() has reached every worker.
    Http::ListenerOptions defaults;
    std::vector<RawSocket> idle(size_t(defaults.workerThreads));
    for (RawSocket &socket : idle)
        QVERIFY(socket.connectTo(port));
    QVERIFY(waitForConnections(server.listener(), 1 + defaults.workerThreads));

    std::thread stopper([&server] { server.listener().stop(10000); });
    bool idleClosed = true;
    for (RawSocket &socket : idle)
        idleClosed = idleClosed && socket.readToEnd(answerTimeoutMs).isEmpty() && socket.atEof();
    const bool sent = client.send("56789");
    QByteArray received = client.readToEnd(answerTimeoutMs);
    stopper.join();
    QVERIFY(idleClosed);
    QVERIFY(sent);
    received.remove(0, interim.size());
    const QList<HttpResponse> responses = takeResponses(received);
    QCOMPARE(responses.size(), 1);
    QCOMPARE(responses.first().status, 200);
    QVERIFY(responses.first().closes());
    QVERIFY(client.atEof());
    const QList<Http::CapturedRequest> captures = server.captures();
    QCOMPARE(captures.size(), 1);
    QCOMPARE(captures.first().bodyView(), QByteArrayView("0123456789"));
}

void TestListener::portInUse()
{
    Server first;
    QVERIFY2(first.isListening(), qPrintable(first.error()));
    Http::ListenerOptions options = localOptions();
    options.port = first.port();
    Server second(options);
    QVERIFY(!second.isListening());
    QVERIFY2(second.error().contains(QString::number(first.port())), qPrintable(second.error()));
    QCOMPARE(exchange(first.port(), get("/still")).status, 200);
}

void TestListener::thousandConnections()
{
    constexpr int count = 1000;
    // Both ends live in this process: a descriptor per client and per server side, plus slack.
    constexpr rlim_t needed = 2 * count + 200;
    rlimit limit = {};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur < needed) {
        limit.rlim_cur = qMin<rlim_t>(limit.rlim_max, 4 * count);
        ::setrlimit(RLIMIT_NOFILE, &limit);
        ::getrlimit(RLIMIT_NOFILE, &limit);
    }
    if (limit.rlim_cur < needed)
        QSKIP("RLIMIT_NOFILE is too low and cannot be raised");

    Server server;
    QVERIFY2(server.isListening(), qPrintable(server.error()));
    // All connects at once (non-blocking), then one request on each.
    std::vector<RawSocket> clients(count);
    std::vector<pollfd> waiting;
    for (RawSocket &client : clients) {
        QVERIFY(client.connectTo(server.port(), true));
        waiting.push_back({client.descriptor(), POLLOUT, 0});
    }
    for (pollfd &entry : waiting) {
        QCOMPARE(::poll(&entry, 1, 60000), 1);
        QVERIFY(entry.revents & POLLOUT);
    }
    for (const RawSocket &client : clients)
        QCOMPARE(client.connectError(), 0);
    QVERIFY(waitForConnections(server.listener(), count));
    for (int i = 0; i < count; ++i)
        QVERIFY(clients[i].sendSome(get("/c/" + QByteArray::number(i))));

    auto answered = [](const QByteArray &received) { return received.contains("\r\n\r\n"); };
    QDeadlineTimer deadline(120000);
    for (;;) {
        waiting.clear();
        for (RawSocket &client : clients) {
            if (!answered(client.received()) && !client.atEof())
                waiting.push_back({client.descriptor(), POLLIN, 0});
        }
        if (waiting.empty() || deadline.hasExpired())
            break;
        if (::poll(waiting.data(), nfds_t(waiting.size()), 200) <= 0)
            continue;
        for (size_t i = 0, c = 0; i < waiting.size(); ++c) {
            if (clients[c].descriptor() != waiting[i].fd)
                continue;
            if (waiting[i].revents)
                clients[c].readAvailable();
            ++i;
        }
    }
    int ok = 0;
    for (const RawSocket &client : clients)
        ok += client.received().startsWith("HTTP/1.1 200 OK\r\n");
    QCOMPARE(ok, count);
    QCOMPARE(server.captures().size(), count);
}

QTEST_GUILESS_MAIN(TestListener)
#include "tst_listener.moc"
