// `export --format curl` end to end: requests sent to a real `hookscope listen`, exported as a
// curl script, the script run with sh against a second listener, and the re-captured requests
// compared with the originals (header lists in order, exact body bytes).
#include "../cli/hookscopeprocess.h"

#include "capture/storereader.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>

namespace {

bool sendRaw(quint16 port, const QByteArray &request)
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!socket.waitForConnected(5000))
        return false;
    socket.write(request);
    QByteArray answer;
    while (!answer.contains("\r\n\r\n") && socket.waitForReadyRead(5000))
        answer += socket.readAll();
    return answer.startsWith("HTTP/1.1 200");
}

QByteArray binaryBody()
{
    QByteArray bytes;
    for (int round = 0; round < 3; ++round) {
        for (int i = 0; i < 256; ++i)
            bytes.append(char(i));
    }
    return bytes;
}

QByteArray withBody(const QByteArray &head, const QByteArray &body)
{
    return head + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

using HeaderList = QList<std::pair<QByteArray, QByteArray>>;

HeaderList headerList(const Http::CapturedRequest &request)
{
    HeaderList list;
    for (const Http::HeaderField &field : request.headers)
        list.append({field.name, field.value});
    return list;
}

} // namespace

class TestCurlScript : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void scriptReproducesRequests();
    void stdoutNeedsOutputForBodies();

private:
    QTemporaryDir m_dir;
};

void TestCurlScript::initTestCase()
{
    if (QStandardPaths::findExecutable(QStringLiteral("curl")).isEmpty())
        QSKIP("curl is not installed");
    QVERIFY(m_dir.isValid());
}

void TestCurlScript::scriptReproducesRequests()
{
    // Host first: curl always sends Host right after the request line (CurlWriter documents it).
    const QList<QByteArray> requests{
        withBody("POST /webhooks/skillspring HTTP/1.1\r\nHost: hooks.example.com\r\nContent-Type: application/json\r\n"
                 "Date: Thu, 03 Dec 2026 13:22:31 GMT\r\nDigest: SHA-256=abc=\r\nX-Dup: one\r\nx-dup: two\r\nX-DUP: three\r\n",
                 "{\"event\":\"it's \\\"quoted\\\" $HOME `date`\"}"),
        withBody("PUT /upload?name=it's&x=$HOME&y=(1)*;,!%5B HTTP/1.1\r\nHost: 127.0.0.1:9\r\nUser-Agent: provider/1.0\r\n"
                 "Accept: */*\r\nContent-Type: application/octet-stream\r\nX-Quote: a 'single' \"double\" \\ back\r\n",
                 binaryBody()),
        QByteArray("GET /search?q=a+b&empty= HTTP/1.1\r\nHost: localhost\r\nX-Empty:\r\nConnection: keep-alive\r\n\r\n"),
        withBody("POST /dots/../and/./more HTTP/1.1\r\nHost: localhost\r\n", "x=1&y=2"),
        QByteArray("POST /no-content-type HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n"),
        QByteArray("DELETE /resource/7 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Signature keyId=\"k\",signature=\"x\"\r\n\r\n"),
    };

    const QString originalStore = m_dir.filePath(QStringLiteral("original.sqlite"));
    {
        ListenProcess listen({QStringLiteral("--store"), originalStore, QStringLiteral("--json")});
        const quint16 port = listen.waitForPort();
        QVERIFY(port != 0);
        for (const QByteArray &request : requests)
            QVERIFY(sendRaw(port, request));
        QCOMPARE(listen.readLines(requests.size(), 60000).size(), requests.size());
    }

    const QString script = m_dir.filePath(QStringLiteral("replay.sh"));
    const CommandResult exported = runHookscope({QStringLiteral("export"), QStringLiteral("--store"), originalStore,
                                                 QStringLiteral("--format"), QStringLiteral("curl"), QStringLiteral("-o"), script});
    QVERIFY2(exported.exitCode == 0, exported.err.constData());
    QVERIFY(exported.out.isEmpty());
    QFile scriptFile(script);
    QVERIFY(scriptFile.open(QIODevice::ReadOnly));
    const QByteArray text = scriptFile.readAll();
    QVERIFY(text.startsWith("#!/bin/sh\n"));
    QVERIFY(text.contains("\nset -e\n"));
    QVERIFY(text.contains("${BASE_URL:-http://hooks.example.com}"));
    QVERIFY(QFile::exists(m_dir.filePath(QStringLiteral("replay.sh.bodies/2.bin"))));
    QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("replay.sh.bodies/3.bin")))); // no body, no file

    const QString replayStore = m_dir.filePath(QStringLiteral("replayed.sqlite"));
    ListenProcess listen({QStringLiteral("--store"), replayStore, QStringLiteral("--json")});
    const quint16 port = listen.waitForPort();
    QVERIFY(port != 0);
    QProcess sh;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("BASE_URL"), QStringLiteral("http://127.0.0.1:%1").arg(port));
    environment.remove(QStringLiteral("http_proxy"));
    environment.remove(QStringLiteral("HTTP_PROXY"));
    sh.setProcessEnvironment(environment);
    sh.setWorkingDirectory(QDir::rootPath()); // the script finds its bodies beside itself
    sh.start(QStringLiteral("sh"), {script});
    QVERIFY(sh.waitForFinished(60000));
    const QByteArray shErr = sh.readAllStandardError();
    QVERIFY2(sh.exitCode() == 0, shErr.constData());
    QCOMPARE(sh.readAllStandardOutput(), QByteArray("1: 200\n2: 200\n3: 200\n4: 200\n5: 200\n6: 200\n"));
    QCOMPARE(listen.readLines(requests.size(), 60000).size(), requests.size());

    auto original = Capture::StoreReader::open(originalStore);
    auto replayed = Capture::StoreReader::open(replayStore);
    QVERIFY(original.has_value());
    QVERIFY(replayed.has_value());
    QCOMPARE(replayed->ids().size(), requests.size());
    for (qint64 id = 1; id <= requests.size(); ++id) {
        const auto before = original->load(id);
        const auto after = replayed->load(id);
        QVERIFY(before && after);
        QCOMPARE(after->request.method, before->request.method);
        QCOMPARE(after->request.target, before->request.target);
        QCOMPARE(headerList(after->request), headerList(before->request));
        QCOMPARE(after->request.bodyView().toByteArray(), before->request.bodyView().toByteArray());
        QCOMPARE(after->request.raw, requests[id - 1]); // these requests are canonical: byte for byte
    }
}

void TestCurlScript::stdoutNeedsOutputForBodies()
{
    const QString store = m_dir.filePath(QStringLiteral("original.sqlite"));
    const CommandResult withBodies = runHookscope({QStringLiteral("export"), QStringLiteral("--store"), store,
                                                   QStringLiteral("--format"), QStringLiteral("curl")});
    QCOMPARE(withBodies.exitCode, 2);
    QCOMPARE(withBodies.err.count('\n'), 1);
    QVERIFY(withBodies.err.contains("-o PATH"));
    const CommandResult noBody = runHookscope({QStringLiteral("export"), QStringLiteral("--store"), store, QStringLiteral("--format"),
                                               QStringLiteral("curl"), QStringLiteral("--id"), QStringLiteral("3")});
    QCOMPARE(noBody.exitCode, 0);
    QVERIFY(noBody.out.startsWith("#!/bin/sh\n"));
    QVERIFY(noBody.out.contains("-H 'X-Empty;'"));
    QVERIFY(noBody.out.contains("-H 'User-Agent:'"));
}

QTEST_GUILESS_MAIN(TestCurlScript)
#include "tst_curlscript.moc"
