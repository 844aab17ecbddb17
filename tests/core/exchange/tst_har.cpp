// HAR export and import: a golden file for the writer, and raw -> HAR -> raw byte-identical
// round trips through the reader.
#include "capture/storereader.h"
#include "exchange/harreader.h"
#include "exchange/harwriter.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

namespace {

Capture::StoredCapture stored(const QByteArray &raw, qint64 id)
{
    Capture::StoredCapture capture;
    capture.request = Capture::parseRaw(raw);
    capture.request.id = id;
    capture.request.firstByteAt = QDateTime(QDate(2026, 12, 3), QTime(13, 22, 31, 123), Qt::UTC);
    capture.request.lastByteAt = capture.request.firstByteAt.addMSecs(7);
    capture.request.endpoint = QStringLiteral("default");
    capture.request.remoteAddress = QStringLiteral("127.0.0.1");
    capture.request.remotePort = 40000;
    capture.request.localAddress = QStringLiteral("127.0.0.1");
    capture.request.localPort = 8080;
    capture.request.responseStatus = 200;
    return capture;
}

QByteArray binaryBody()
{
    QByteArray bytes;
    for (int i = 0; i < 256; ++i)
        bytes.append(char(255 - i));
    return bytes;
}

QByteArray withLength(const QByteArray &head, const QByteArray &body)
{
    return head + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestHar : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void goldenFile();
    void roundTrip_data();
    void roundTrip();
    void wholeDocumentRoundTrip();
    void chunkedBodyIsReframed();
    void browserHar();
    void entryErrorsNameIndexAndMember_data();
    void entryErrorsNameIndexAndMember();
    void notAHar();
};

void TestHar::goldenFile()
{
    Exchange::HarWriter writer;
    Capture::StoredCapture signedPost = stored(withLength(
        "POST /webhooks/skillspring?source=test&x=a%20b HTTP/1.1\r\n"
        "Host: hooks.example.com\r\n"
        "Content-Type: application/json\r\n"
        "Date: Thu, 03 Dec 2026 13:22:31 GMT\r\n"
        "Digest: SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=\r\n"
        "X-Dup: one\r\n"
        "x-dup: two\r\n",
        "{\"hello\": \"world\"}"), 1);
    signedPost.annotation.verificationJson = R"({"verdict":"unsigned","digest":{"status":"valid"},"problems":[]})";
    writer.add(signedPost);

    Capture::StoredCapture binary = stored(withLength("PUT /upload HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
                                                      "Content-Type: application/octet-stream\r\n", binaryBody()), 2);
    binary.request.tlsProtocol = QStringLiteral("TLSv1.3");
    binary.request.imported = true;
    writer.add(binary);

    Capture::StoredCapture rejected = stored("GET /x HTTP/1.1\r\nHost: a\r\nContent-Length: nope\r\n\r\n", 3);
    QVERIFY(rejected.request.isRejected());
    rejected.request.responseStatus = 400;
    writer.add(rejected);

    const QByteArray json = writer.toJson();
    const QString goldenPath = QStringLiteral(HOOKSCOPE_TEST_DATA "/exchange/golden.har");
    const QByteArray versioned = QByteArray(json).replace("\"version\": \"" HOOKSCOPE_VERSION "\"", "\"version\": \"@VERSION@\"");
    if (qEnvironmentVariableIsSet("HOOKSCOPE_UPDATE_GOLDEN")) {
        QFile file(goldenPath);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(versioned);
    }
    QCOMPARE(versioned, readFile(goldenPath));

    // The structure HAR 1.2 asks for, checked member by member.
    const QJsonObject log = QJsonDocument::fromJson(json).object().value(QStringLiteral("log")).toObject();
    QCOMPARE(log.value(QStringLiteral("version")).toString(), QStringLiteral("1.2"));
    QCOMPARE(log.value(QStringLiteral("creator")).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("hookscope"));
    const QJsonArray entries = log.value(QStringLiteral("entries")).toArray();
    QCOMPARE(entries.size(), 3);
    const QJsonObject first = entries.at(0).toObject();
    const QJsonObject request = first.value(QStringLiteral("request")).toObject();
    QCOMPARE(request.value(QStringLiteral("url")).toString(), QStringLiteral("http://hooks.example.com/webhooks/skillspring?source=test&x=a%20b"));
    const QJsonArray headers = request.value(QStringLiteral("headers")).toArray();
    QCOMPARE(headers.size(), 7);
    QCOMPARE(headers.at(4).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("X-Dup"));
    QCOMPARE(headers.at(5).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("x-dup"));
    QCOMPARE(request.value(QStringLiteral("queryString")).toArray().at(1).toObject().value(QStringLiteral("value")).toString(), QStringLiteral("a b"));
    QCOMPARE(request.value(QStringLiteral("postData")).toObject().value(QStringLiteral("text")).toString(), QStringLiteral("{\"hello\": \"world\"}"));
    QCOMPARE(first.value(QStringLiteral("_hookscope")).toObject().value(QStringLiteral("verification")).toObject()
                 .value(QStringLiteral("verdict")).toString(), QStringLiteral("unsigned"));
    const QJsonObject second = entries.at(1).toObject().value(QStringLiteral("request")).toObject();
    QCOMPARE(second.value(QStringLiteral("url")).toString(), QStringLiteral("https://127.0.0.1:8080/upload"));
    QCOMPARE(second.value(QStringLiteral("postData")).toObject().value(QStringLiteral("encoding")).toString(), QStringLiteral("base64"));
    QCOMPARE(QByteArray::fromBase64(second.value(QStringLiteral("postData")).toObject().value(QStringLiteral("text")).toString().toLatin1()), binaryBody());
    QCOMPARE(entries.at(2).toObject().value(QStringLiteral("_hookscope")).toObject().value(QStringLiteral("rejected")).toObject()
                 .value(QStringLiteral("status")).toInt(), 400);
}

void TestHar::roundTrip_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::newRow("json post") << withLength("POST /hook HTTP/1.1\r\nHost: example.com\r\nContent-Type: application/json\r\n"
                                             "Authorization: Signature keyId=\"k\",signature=\"abc=\"\r\n", "{\"a\":[1,2,3]}");
    QTest::newRow("binary body, duplicate headers") << withLength("POST /bin HTTP/1.1\r\nHost: h\r\nX-A: 1\r\nx-a: 2\r\nX-A: 3\r\n", binaryBody());
    QTest::newRow("get with query, no body") << QByteArray("GET /search?q=a+b&empty=&flag HTTP/1.1\r\nHost: h:81\r\nAccept: */*\r\n\r\n");
    QTest::newRow("empty value, latin-1 value") << QByteArray("GET / HTTP/1.1\r\nHost: h\r\nX-Empty: \r\nX-Latin: caf\xE9\r\n\r\n").replace("X-Empty: ", "X-Empty:");
    QTest::newRow("utf-8 body with bom") << withLength("POST /u HTTP/1.1\r\nHost: h\r\n", "\xEF\xBB\xBF{\"name\":\"J\xC3\xBCrgen\"}\n");
    QTest::newRow("nul bytes in utf-8 body") << withLength("POST /n HTTP/1.1\r\nHost: h\r\n", QByteArray("a\0b\0", 4));
    QTest::newRow("empty post") << QByteArray("POST /e HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
    QTest::newRow("absolute-form target") << QByteArray("GET http://other.example/p?q=1 HTTP/1.1\r\nHost: other.example\r\n\r\n");
    QTest::newRow("http/1.0") << QByteArray("GET /old HTTP/1.0\r\n\r\n");
}

void TestHar::roundTrip()
{
    QFETCH(QByteArray, raw);
    const Capture::StoredCapture capture = stored(raw, 9);
    QVERIFY2(!capture.request.isRejected(), qPrintable(capture.request.rejection.reason));
    const QJsonObject entry = Exchange::HarWriter::entry(capture);
    const auto rebuilt = Exchange::HarReader::rebuildRequest(entry.value(QStringLiteral("request")).toObject(),
                                                             entry.value(QStringLiteral("_hookscope")).toObject());
    QVERIFY2(rebuilt.has_value(), rebuilt ? "" : qPrintable(rebuilt.error()));
    QCOMPARE(*rebuilt, raw);
}

void TestHar::wholeDocumentRoundTrip()
{
    const QList<QByteArray> raws{
        withLength("POST /a HTTP/1.1\r\nHost: h\r\nDigest: SHA-256=x\r\n", binaryBody()),
        QByteArray("GET /b HTTP/1.1\r\nHost: h\r\n\r\n"),
    };
    Exchange::HarWriter writer;
    for (qsizetype i = 0; i < raws.size(); ++i)
        writer.add(stored(raws[i], i + 1));
    const auto read = Exchange::HarReader::read(writer.toJson());
    QVERIFY(read.has_value());
    QVERIFY(read->errors.isEmpty());
    QCOMPARE(read->requests.size(), raws.size());
    for (qsizetype i = 0; i < raws.size(); ++i) {
        QCOMPARE(read->requests[i].raw, raws[i]);
        QCOMPARE(read->requests[i].index, int(i));
        QCOMPARE(read->requests[i].startedAt, QDateTime(QDate(2026, 12, 3), QTime(13, 22, 31, 123), Qt::UTC));
        QCOMPARE(read->requests[i].endpoint, QStringLiteral("default"));
        QCOMPARE(read->requests[i].remoteAddress, QStringLiteral("127.0.0.1"));
    }
}

void TestHar::chunkedBodyIsReframed()
{
    const QByteArray raw = "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
    const Capture::StoredCapture capture = stored(raw, 1);
    QCOMPARE(capture.request.bodyView(), QByteArrayView("abcde"));
    const QJsonObject entry = Exchange::HarWriter::entry(capture);
    const auto rebuilt = Exchange::HarReader::rebuildRequest(entry.value(QStringLiteral("request")).toObject());
    QVERIFY(rebuilt.has_value());
    QCOMPARE(*rebuilt, QByteArray("POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n0\r\n\r\n"));
    QCOMPARE(Capture::parseRaw(*rebuilt).bodyView(), QByteArrayView("abcde"));
}

void TestHar::browserHar()
{
    // What a browser writes for an HTTP/2 request: pseudo-headers, lowercase names, no
    // Content-Length, a fragment in the URL.
    const QByteArray har = R"({"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"},
      "entries": [{"startedDateTime": "2024-05-01T10:00:00.500+02:00", "time": 1,
        "request": {"method": "POST", "url": "https://api.example.com/v1/hooks?x=1#frag", "httpVersion": "http/2.0",
          "headers": [{"name": ":method", "value": "POST"}, {"name": ":authority", "value": "api.example.com"},
                      {"name": ":path", "value": "/v1/hooks?x=1"}, {"name": "content-type", "value": "application/json"},
                      {"name": "x-note", "value": "Grüße"}],
          "postData": {"mimeType": "application/json", "text": "{\"ok\":true}"}}},
        {"request": {"method": "POST", "url": "http://h/form", "headers": [{"name": "Host", "value": "h"}],
          "postData": {"mimeType": "application/x-www-form-urlencoded", "params": [{"name": "a b", "value": "c&d"}]}}}]}})";
    const auto read = Exchange::HarReader::read(har);
    QVERIFY(read.has_value());
    QVERIFY(read->errors.isEmpty());
    QCOMPARE(read->requests.size(), 2);
    QCOMPARE(read->requests[0].raw, QByteArray("POST /v1/hooks?x=1 HTTP/1.1\r\nHost: api.example.com\r\ncontent-type: application/json\r\n"
                                               "x-note: Gr\xFC\xDF" "e\r\nContent-Length: 11\r\n\r\n{\"ok\":true}"));
    QVERIFY(read->requests[0].tls);
    QCOMPARE(read->requests[0].startedAt, QDateTime(QDate(2024, 5, 1), QTime(8, 0, 0, 500), Qt::UTC));
    QCOMPARE(read->requests[1].raw, QByteArray("POST /form HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\na%20b=c%26d"));
}

void TestHar::entryErrorsNameIndexAndMember_data()
{
    QTest::addColumn<QByteArray>("entry");
    QTest::addColumn<QString>("message");
    QTest::newRow("no request") << QByteArray(R"({"startedDateTime": "x"})") << QStringLiteral("entry 1: request is missing");
    QTest::newRow("no url") << QByteArray(R"({"request": {"method": "GET", "headers": []}})") << QStringLiteral("entry 1: request.url is missing");
    QTest::newRow("relative url") << QByteArray(R"({"request": {"method": "GET", "url": "/x"}})") << QStringLiteral("entry 1: request.url is not an absolute URL");
    QTest::newRow("no method") << QByteArray(R"({"request": {"url": "http://h/"}})") << QStringLiteral("entry 1: request.method is missing");
    QTest::newRow("header without name") << QByteArray(R"({"request": {"method": "GET", "url": "http://h/", "headers": [{"name": "A", "value": "b"}, {"value": "c"}]}})")
                                         << QStringLiteral("entry 1: request.headers[1].name is missing");
    QTest::newRow("bad base64") << QByteArray(R"({"request": {"method": "POST", "url": "http://h/", "postData": {"text": "*not*", "encoding": "base64"}}})")
                                << QStringLiteral("entry 1: request.postData.text is not valid base64");
    QTest::newRow("header line break") << QByteArray(R"({"request": {"method": "GET", "url": "http://h/", "headers": [{"name": "A", "value": "b\r\nX: y"}]}})")
                                       << QStringLiteral("entry 1: request.headers[0] contains a line break");
}

void TestHar::entryErrorsNameIndexAndMember()
{
    QFETCH(QByteArray, entry);
    QFETCH(QString, message);
    const QByteArray har = R"({"log": {"version": "1.2", "entries": [{"request": {"method": "GET", "url": "http://h/ok"}}, )" + entry
                         + R"(, {"request": {"method": "GET", "url": "http://h/also-ok"}}]}})";
    const auto read = Exchange::HarReader::read(har);
    QVERIFY(read.has_value());
    QCOMPARE(read->errors.size(), 1);
    QCOMPARE(read->errors.first().index, 1);
    QCOMPARE(read->errors.first().message, message);
    QCOMPARE(read->requests.size(), 2); // the others are still read
    QCOMPARE(read->requests[1].index, 2);
}

void TestHar::notAHar()
{
    QVERIFY(!Exchange::HarReader::read("{\"entries\": []}").has_value());
    QVERIFY(!Exchange::HarReader::read("{\"log\": {}}").has_value());
    const auto broken = Exchange::HarReader::read("{\"log\": ");
    QVERIFY(!broken.has_value());
    QVERIFY(broken.error().startsWith(QStringLiteral("not valid JSON")));
    QVERIFY(Exchange::HarReader::looksLikeJson("\n  {\"log\":{}}"));
    QVERIFY(!Exchange::HarReader::looksLikeJson("POST / HTTP/1.1\r\n"));
}

QTEST_GUILESS_MAIN(TestHar)
#include "tst_har.moc"
