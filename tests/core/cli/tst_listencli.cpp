// End-to-end: the real `hookscope listen` process, real sockets and curl, then
// `hookscope export` reading the same SQLite file.
#include "hookscopeprocess.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>

#include <csignal>

namespace {

/// Sends bytes on a fresh connection (optionally one write per piece) and reads until the
/// server closed or expected answers arrived.
QByteArray exchange(quint16 port, const QList<QByteArray> &pieces, int expectedAnswers, int pauseMs = 0)
{
    QTcpSocket socket;
    socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!socket.waitForConnected(5000))
        return {};
    for (const QByteArray &piece : pieces) {
        socket.write(piece);
        socket.waitForBytesWritten(5000);
        if (pauseMs > 0)
            QThread::msleep(pauseMs);
    }
    QByteArray answer;
    QElapsedTimer timer;
    timer.start();
    while (answer.count("HTTP/1.1 ") < expectedAnswers && timer.elapsed() < 10000) {
        if (!socket.waitForReadyRead(200) && socket.state() != QAbstractSocket::ConnectedState)
            break;
        answer += socket.readAll();
    }
    answer += socket.readAll();
    return answer;
}

QList<QByteArray> bytewise(const QByteArray &bytes)
{
    QList<QByteArray> pieces;
    for (char c : bytes)
        pieces.append(QByteArray(1, c));
    return pieces;
}

QJsonObject json(const QByteArray &line)
{
    return QJsonDocument::fromJson(line).object();
}

} // namespace

class TestListenCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void version();
    void usageErrors_data();
    void usageErrors();
    void byteExactRoundTrip();
    void curlAndJsonLines();
    void rejectedRequestsAreCaptured();
    void survivesSigkill();
    void eventsAndTimelineInJsonLines();
    void sigtermExitsCleanly();
};

void TestListenCli::version()
{
    const CommandResult result = runHookscope({QStringLiteral("--version")});
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out, QByteArray("hookscope " HOOKSCOPE_VERSION "\n"));
}

void TestListenCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("mention");
    QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")} << QByteArray("frobnicate");
    QTest::newRow("bad port") << QStringList{QStringLiteral("listen"), QStringLiteral("--port"), QStringLiteral("eighty")} << QByteArray("--port");
    QTest::newRow("bad bind") << QStringList{QStringLiteral("listen"), QStringLiteral("--bind"), QStringLiteral("localhost:1")} << QByteArray("--bind");
    QTest::newRow("half tls") << QStringList{QStringLiteral("listen"), QStringLiteral("--tls-cert"), QStringLiteral("x.pem")} << QByteArray("--tls-key");
    QTest::newRow("bad respond") << QStringList{QStringLiteral("listen"), QStringLiteral("--respond"), QStringLiteral("99")} << QByteArray("--respond");
    QTest::newRow("export no store") << QStringList{QStringLiteral("export"), QStringLiteral("--format"), QStringLiteral("raw")} << QByteArray("--store");
    QTest::newRow("export missing store") << QStringList{QStringLiteral("export"), QStringLiteral("--store"), QStringLiteral("/nonexistent/x.sqlite"), QStringLiteral("--format"), QStringLiteral("jsonl")} << QByteArray("/nonexistent/x.sqlite");
    QTest::newRow("export bad format") << QStringList{QStringLiteral("export"), QStringLiteral("--store"), QStringLiteral("x"), QStringLiteral("--format"), QStringLiteral("xml")} << QByteArray("xml");
}

void TestListenCli::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, mention);
    const CommandResult result = runHookscope(arguments);
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.out.isEmpty());
    QCOMPARE(result.err.count('\n'), 1); // one line naming the problem
    QVERIFY2(result.err.contains(mention), result.err.constData());
}

void TestListenCli::byteExactRoundTrip()
{
    QTemporaryDir dir;
    const QString store = dir.filePath(QStringLiteral("captures.sqlite"));
    ListenProcess listen({QStringLiteral("--store"), store, QStringLiteral("--json")});
    const quint16 port = listen.waitForPort();
    QVERIFY(port != 0);
    QVERIFY(listen.firstLine().startsWith("listening on http://127.0.0.1:"));

    QByteArray binary;
    for (int i = 0; i < 256; ++i)
        binary.append(char(i));
    binary += binary;
    const QByteArray binaryRequest = "POST /bin?x=%00 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                                     "Content-Length: " + QByteArray::number(binary.size()) + "\r\n\r\n" + binary;
    const QByteArray chunked = "POST /chunked HTTP/1.1\r\nHOST: localhost\r\nx-MiXeD:  spaced value \t\r\nx-mixed: second\r\n"
                               "Transfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n"
                               "5;ext=1;quoted=\"a b\"\r\nhello\r\n1A\r\n abcdefghijklmnopqrstuvwxy\r\n0\r\nX-Sum: 42\r\n\r\n";
    const QByteArray pipelined[3] = {
        "GET /one HTTP/1.1\r\nHost: a\r\n\r\n",
        "POST /two HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc",
        "DELETE /three HTTP/1.1\r\nHost: a\r\n\r\n",
    };
    const QByteArray slow = "PUT /slow HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\nDigest: SHA-256=abc=\r\n\r\n{\"k\": \"v\"}\n";
    const QByteArray http10 = "POST /old HTTP/1.0\r\nContent-Length: 2\r\n\r\nhi";

    QCOMPARE(exchange(port, {binaryRequest}, 1).left(15), QByteArray("HTTP/1.1 200 OK"));
    QCOMPARE(exchange(port, {chunked}, 1).left(15), QByteArray("HTTP/1.1 200 OK"));
    const QByteArray three = exchange(port, {pipelined[0] + pipelined[1] + pipelined[2]}, 3);
    QCOMPARE(three.count("HTTP/1.1 200 OK"), 3);
    QCOMPARE(exchange(port, bytewise(slow), 1, 1).left(15), QByteArray("HTTP/1.1 200 OK"));
    QVERIFY(exchange(port, {http10}, 1).startsWith("HTTP/1.1 200 OK"));

    const QList<QByteArray> lines = listen.readLines(7);
    QCOMPARE(lines.size(), 7);
    const QList<QByteArray> sent = {binaryRequest, chunked, pipelined[0], pipelined[1], pipelined[2], slow, http10};
    for (int i = 0; i < lines.size(); ++i) {
        const QJsonObject line = json(lines[i]);
        const qint64 id = line.value(QStringLiteral("id")).toInteger();
        QVERIFY(id > 0);
        QVERIFY(line.value(QStringLiteral("receivedAt")).toString().endsWith(QLatin1Char('Z')));
        const CommandResult exported = runHookscope({QStringLiteral("export"), QStringLiteral("--store"), store,
                                                     QStringLiteral("--format"), QStringLiteral("raw"),
                                                     QStringLiteral("--id"), QString::number(id)});
        QCOMPARE(exported.exitCode, 0);
        QCOMPARE(exported.out, sent[i]);
    }
    QCOMPARE(json(lines[0]).value(QStringLiteral("bodyBytes")).toInt(), binary.size());
    QCOMPARE(json(lines[1]).value(QStringLiteral("bodyBytes")).toInt(), 31); // de-chunked

    // Several ids: one ID.http file each.
    const QString folder = dir.filePath(QStringLiteral("raw"));
    const CommandResult many = runHookscope({QStringLiteral("export"), QStringLiteral("--store"), store,
                                             QStringLiteral("--format"), QStringLiteral("raw"), QStringLiteral("-o"), folder});
    QCOMPARE(many.exitCode, 0);
    QCOMPARE(QDir(folder).entryList(QDir::Files).size(), 7);
    QFile first(QDir(folder).filePath(QString::number(json(lines[1]).value(QStringLiteral("id")).toInteger()) + QStringLiteral(".http")));
    QVERIFY(first.open(QIODevice::ReadOnly));
    QCOMPARE(first.readAll(), chunked);
}

void TestListenCli::curlAndJsonLines()
{
    QTemporaryDir dir;
    const QString store = dir.filePath(QStringLiteral("captures.sqlite"));
    ListenProcess listen({QStringLiteral("--store"), store, QStringLiteral("--json"), QStringLiteral("--respond"), QStringLiteral("202")});
    const quint16 port = listen.waitForPort();
    QVERIFY(port != 0);
    QFile body(dir.filePath(QStringLiteral("body.json")));
    QVERIFY(body.open(QIODevice::WriteOnly));
    const QByteArray payload = "{\"id\":\"c-81\",\"expert\":\"e-7\",\"status\":\"completed\",\"totalParticipantSeconds\":3723}\r\n";
    body.write(payload);
    body.close();

    QProcess curl;
    curl.start(QStringLiteral("curl"), {QStringLiteral("-sS"), QStringLiteral("-o"), QStringLiteral("/dev/null"),
                                        QStringLiteral("-w"), QStringLiteral("%{http_code}"),
                                        QStringLiteral("-H"), QStringLiteral("X-Dup: one"), QStringLiteral("-H"), QStringLiteral("X-Dup: two"),
                                        QStringLiteral("-H"), QStringLiteral("Content-Type: application/json"),
                                        QStringLiteral("--data-binary"), QStringLiteral("@") + body.fileName(),
                                        QStringLiteral("http://127.0.0.1:%1/hooks/skillspring?a=1&b=2").arg(port)});
    QVERIFY(curl.waitForFinished(10000));
    QCOMPARE(curl.readAllStandardOutput(), QByteArray("202"));

    const QList<QByteArray> lines = listen.readLines(1);
    QCOMPARE(lines.size(), 1);
    const QJsonObject line = json(lines[0]);
    QCOMPARE(line.value(QStringLiteral("method")).toString(), QStringLiteral("POST"));
    QCOMPARE(line.value(QStringLiteral("target")).toString(), QStringLiteral("/hooks/skillspring?a=1&b=2"));
    QCOMPARE(line.value(QStringLiteral("bodyBytes")).toInt(), payload.size());
    QCOMPARE(line.value(QStringLiteral("responseStatus")).toInt(), 202);
    QVERIFY(line.contains(QStringLiteral("verification")));

    const CommandResult raw = runHookscope({QStringLiteral("export"), QStringLiteral("--store"), store, QStringLiteral("--format"),
                                            QStringLiteral("raw"), QStringLiteral("--id"), QString::number(line.value(QStringLiteral("id")).toInteger())});
    QVERIFY(raw.out.startsWith("POST /hooks/skillspring?a=1&b=2 HTTP/1.1\r\n"));
    QVERIFY(raw.out.contains("\r\nX-Dup: one\r\nX-Dup: two\r\n"));
    QVERIFY(raw.out.endsWith(QByteArray("\r\n\r\n" + payload)));

    const CommandResult jsonl = runHookscope({QStringLiteral("export"), QStringLiteral("--store"), store,
                                              QStringLiteral("--format"), QStringLiteral("jsonl")});
    QCOMPARE(jsonl.exitCode, 0);
    QCOMPARE(jsonl.out.count('\n'), 1);
    const QJsonObject exported = json(jsonl.out.trimmed());
    for (const char *key : {"id", "receivedAt", "method", "target", "bodyBytes"})
        QCOMPARE(exported.value(QLatin1String(key)), line.value(QLatin1String(key)));
}

void TestListenCli::rejectedRequestsAreCaptured()
{
    QTemporaryDir dir;
    const QString store = dir.filePath(QStringLiteral("captures.sqlite"));
    ListenProcess listen({QStringLiteral("--store"), store, QStringLiteral("--json"), QStringLiteral("--max-body"), QStringLiteral("100")});
    const quint16 port = listen.waitForPort();
    QVERIFY(port != 0);

    // Smuggling attempt: both framings. 400, closed, and the trailing request is never parsed.
    const QByteArray smuggle = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n";
    const QByteArray answer = exchange(port, {smuggle}, 2);
    QVERIFY2(answer.startsWith("HTTP/1.1 400 Bad Request\r\n"), answer.constData());
    QCOMPARE(answer.count("HTTP/1.1 "), 1);
    QVERIFY(answer.contains("Connection: close"));

    // Too large: 413 sent after the head, before the client sends any body byte.
    const QByteArray big = exchange(port, {"POST /big HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n"}, 1);
    QVERIFY2(big.startsWith("HTTP/1.1 413 "), big.constData());
    const QByteArray version = exchange(port, {"GET / HTTP/2.0\r\nHost: a\r\n\r\n"}, 1);
    QVERIFY2(version.startsWith("HTTP/1.1 505 "), version.constData());

    // The listener keeps serving.
    QVERIFY(exchange(port, {"GET /after HTTP/1.1\r\nHost: a\r\n\r\n"}, 1).startsWith("HTTP/1.1 200 OK"));

    const QList<QByteArray> lines = listen.readLines(4);
    QCOMPARE(lines.size(), 4);
    const QJsonObject first = json(lines[0]).value(QStringLiteral("rejected")).toObject();
    QCOMPARE(first.value(QStringLiteral("status")).toInt(), 400);
    QCOMPARE(first.value(QStringLiteral("code")).toString(), QStringLiteral("content-length-with-transfer-encoding"));
    QVERIFY(!first.value(QStringLiteral("reason")).toString().isEmpty());
    QCOMPARE(json(lines[1]).value(QStringLiteral("rejected")).toObject().value(QStringLiteral("status")).toInt(), 413);
    QCOMPARE(json(lines[2]).value(QStringLiteral("rejected")).toObject().value(QStringLiteral("status")).toInt(), 505);
    QVERIFY(!json(lines[3]).contains(QStringLiteral("rejected")));

    // The rejected capture keeps the bytes received up to the rejection point.
    const CommandResult raw = runHookscope({QStringLiteral("export"), QStringLiteral("--store"), store, QStringLiteral("--format"),
                                            QStringLiteral("raw"), QStringLiteral("--id"),
                                            QString::number(json(lines[0]).value(QStringLiteral("id")).toInteger())});
    QVERIFY(smuggle.startsWith(raw.out));
    QVERIFY(!raw.out.contains("smuggled"));
}

void TestListenCli::survivesSigkill()
{
    QTemporaryDir dir;
    const QString store = dir.filePath(QStringLiteral("captures.sqlite"));
    constexpr int count = 300;
    {
        ListenProcess listen({QStringLiteral("--store"), store});
        const quint16 port = listen.waitForPort();
        QVERIFY(port != 0);
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), port);
        QVERIFY(socket.waitForConnected(5000));
        for (int i = 1; i <= count; ++i) {
            const QByteArray body = "{\"n\":" + QByteArray::number(i) + "}";
            socket.write("POST /n/" + QByteArray::number(i) + " HTTP/1.1\r\nHost: a\r\nContent-Length: "
                         + QByteArray::number(body.size()) + "\r\n\r\n" + body);
            QByteArray answer;
            while (!answer.contains("\r\n\r\n") && socket.waitForReadyRead(5000))
                answer += socket.readAll();
            QVERIFY2(answer.startsWith("HTTP/1.1 200 OK"), answer.constData());
        }
        // Killed right after the last acknowledgement: no chance to flush anything.
        ::kill(pid_t(listen.process().processId()), SIGKILL);
        listen.process().waitForFinished();
    }
    const CommandResult jsonl = runHookscope({QStringLiteral("export"), QStringLiteral("--store"), store,
                                              QStringLiteral("--format"), QStringLiteral("jsonl")});
    QCOMPARE(jsonl.exitCode, 0);
    const QList<QByteArray> lines = jsonl.out.trimmed().split('\n');
    QCOMPARE(lines.size(), count);
    QCOMPARE(json(lines.last()).value(QStringLiteral("target")).toString(), QStringLiteral("/n/%1").arg(count));

    // And the store is still usable after the crash: a restarted listener appends to it.
    ListenProcess again({QStringLiteral("--store"), store});
    QVERIFY(again.waitForPort() != 0);
}

void TestListenCli::eventsAndTimelineInJsonLines()
{
    QTemporaryDir dir;
    ListenProcess listen({QStringLiteral("--store"), dir.filePath(QStringLiteral("c.sqlite")), QStringLiteral("--json")});
    const quint16 port = listen.waitForPort();
    QVERIFY(port != 0);
    const QByteArray body = R"({"id":"c-81","expert":"e-7","status":"completed","totalParticipantSeconds":3723})";
    const QByteArray request = "POST /hook HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: "
                               + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    QVERIFY(exchange(port, {request}, 1).startsWith("HTTP/1.1 200"));
    QVERIFY(exchange(port, {request}, 1).startsWith("HTTP/1.1 200")); // the provider's retry
    const QList<QByteArray> lines = listen.readLines(2);
    QCOMPARE(lines.size(), 2);
    const QJsonObject first = json(lines[0]).value(QStringLiteral("event")).toObject();
    QCOMPARE(first.value(QStringLiteral("type")).toString(), QStringLiteral("Conversation Ended"));
    QCOMPARE(first.value(QStringLiteral("entityId")).toString(), QStringLiteral("c-81"));
    QVERIFY(first.value(QStringLiteral("summary")).toString().contains(QStringLiteral("1 h 02 min 03 s")));
    QVERIFY(!first.contains(QStringLiteral("anomalies")));
    const QJsonArray anomalies = json(lines[1]).value(QStringLiteral("event")).toObject().value(QStringLiteral("anomalies")).toArray();
    QCOMPARE(anomalies.size(), 1);
    QCOMPARE(anomalies.first().toObject().value(QStringLiteral("code")).toString(), QStringLiteral("duplicate-delivery"));
}

void TestListenCli::sigtermExitsCleanly()
{
    QTemporaryDir dir;
    ListenProcess listen({QStringLiteral("--store"), dir.filePath(QStringLiteral("c.sqlite"))});
    const quint16 port = listen.waitForPort();
    QVERIFY(port != 0);
    QVERIFY(exchange(port, {"GET / HTTP/1.1\r\nHost: a\r\n\r\n"}, 1).startsWith("HTTP/1.1 200"));
    ::kill(pid_t(listen.process().processId()), SIGTERM);
    QVERIFY(listen.process().waitForFinished(10000));
    QCOMPARE(listen.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(listen.process().exitCode(), 0);
}

QTEST_GUILESS_MAIN(TestListenCli)
#include "tst_listencli.moc"
