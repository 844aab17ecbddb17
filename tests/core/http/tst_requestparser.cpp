#include "parserdriver.h"

#include <QDir>
#include <QFile>
#include <QTest>

using Http::CapturedRequest;
using Http::ParserLimits;
using Http::RequestParser;
using State = Http::RequestParser::State;

namespace {

QByteArray fixture(const QString &name)
{
    QFile file(QStringLiteral(HOOKSCOPE_TEST_DATA "/http/") + name + QStringLiteral(".http"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(file.fileName()));
    return file.readAll();
}

QStringList fixtureNames(const QString &folder)
{
    QStringList names = QDir(QStringLiteral(HOOKSCOPE_TEST_DATA "/http/") + folder)
                            .entryList({QStringLiteral("*.http")}, QDir::Files, QDir::Name);
    for (QString &name : names)
        name = folder + u'/' + name.chopped(5);
    return names;
}

// Parses a fixture fed whole; it must hold exactly `count` valid requests.
QList<CapturedRequest> parseValid(const QString &name, qsizetype count = 1)
{
    const QByteArray input = fixture(QStringLiteral("valid/") + name);
    const ParserDriver driver = ParserDriver::run(input, {});
    if (!driver.violation.isEmpty() || driver.failed || driver.requests.size() != count)
        qWarning() << name << driver.violation << driver.rejected.rejection.code << driver.requests.size();
    return driver.requests.size() == count ? driver.requests : QList<CapturedRequest>(count);
}

QByteArray repeated(char c, qsizetype count)
{
    return QByteArray(count, c);
}

struct InvalidCase
{
    const char *name;
    int status;
    const char *code;
    QByteArray stopAfter; // consumption ends right after the first occurrence of this text
};

// One malformed request per rule: status, code, and the exact point where parsing stops.
const QList<InvalidCase> &invalidCases()
{
    const QByteArray headEnd = QByteArrayLiteral("\r\n\r\n");
    const QByteArray requestLineEnd = QByteArrayLiteral("HTTP/1.1\r\n");
    static const QList<InvalidCase> cases{
        {"cl-with-te", 400, "content-length-with-transfer-encoding", headEnd},
        {"cl-duplicate-equal", 400, "content-length-duplicate", headEnd},
        {"cl-list", 400, "content-length-list", headEnd},
        {"cl-nondigit", 400, "content-length-invalid", headEnd},
        {"cl-sign", 400, "content-length-invalid", headEnd},
        {"cl-inner-space", 400, "content-length-invalid", headEnd},
        {"cl-overflow", 400, "content-length-invalid", headEnd},
        {"chunk-size-nonhex", 400, "chunk-size-invalid", QByteArrayLiteral("zz\r\n")},
        {"chunk-size-empty", 400, "chunk-size-invalid", QByteArrayLiteral("\r\n\r\n\r\n")},
        {"chunk-size-overflow", 400, "chunk-size-overflow", QByteArrayLiteral("10000000000000000\r\n")},
        {"chunk-size-negative", 400, "chunk-size-invalid", QByteArrayLiteral("-5\r\n")},
        {"chunk-extension-invalid", 400, "chunk-extension-invalid", QByteArrayLiteral("5;=x\r\n")},
        {"chunk-extension-unterminated-quote", 400, "chunk-extension-invalid", QByteArrayLiteral("open\r\n")},
        {"chunk-data-crlf-missing", 400, "chunk-data-crlf-missing", QByteArrayLiteral("helloX")},
        {"chunk-data-bare-lf", 400, "bare-lf", QByteArrayLiteral("hello\n")},
        {"obs-fold", 400, "obs-fold", QByteArrayLiteral("\r\n b\r\n")},
        {"obs-fold-first-line", 400, "obs-fold", QByteArrayLiteral("\tHost: h\r\n")},
        {"trailer-obs-fold", 400, "obs-fold", QByteArrayLiteral("\r\n b\r\n")},
        {"bare-cr-header", 400, "bare-cr", QByteArrayLiteral("a\rb\r\n")},
        {"bare-cr-request-line", 400, "bare-cr", requestLineEnd},
        {"bare-cr-leading", 400, "bare-cr", QByteArrayLiteral("\rG")},
        {"bare-lf-request-line", 400, "bare-lf", QByteArrayLiteral("HTTP/1.1\n")},
        {"bare-lf-header", 400, "bare-lf", QByteArrayLiteral("Host: h\n")},
        {"header-name-whitespace", 400, "header-name-whitespace", QByteArrayLiteral("Host : h\r\n")},
        {"header-name-tab", 400, "header-name-whitespace", QByteArrayLiteral("X-A\t: v\r\n")},
        {"header-name-invalid", 400, "header-name-invalid", QByteArrayLiteral("X(A): v\r\n")},
        {"header-name-empty", 400, "header-name-invalid", QByteArrayLiteral("\r\n: v\r\n")},
        {"header-line-no-colon", 400, "header-line-invalid", QByteArrayLiteral("NoColonHere\r\n")},
        {"header-value-ctl", 400, "header-value-invalid", QByteArrayLiteral("a\x01" "b\r\n")},
        {"header-value-nul", 400, "header-value-invalid", QByteArrayLiteral("a\0b\r\n")},
        {"header-value-del", 400, "header-value-invalid", QByteArrayLiteral("a\x7f" "b\r\n")},
        {"host-missing", 400, "host-missing", headEnd},
        {"host-duplicate", 400, "host-duplicate", headEnd},
        {"host-invalid", 400, "host-invalid", headEnd},
        {"method-invalid", 400, "method-invalid", requestLineEnd},
        {"target-space", 400, "target-invalid", requestLineEnd},
        {"target-ctl", 400, "target-invalid", requestLineEnd},
        {"target-fragment", 400, "target-invalid", requestLineEnd},
        {"target-asterisk-not-options", 400, "target-invalid", requestLineEnd},
        {"target-authority-not-connect", 400, "target-invalid", requestLineEnd},
        {"target-connect-origin", 400, "target-invalid", requestLineEnd},
        {"target-bad-percent", 400, "target-invalid", requestLineEnd},
        {"request-line-double-space", 400, "request-line-whitespace", requestLineEnd},
        {"request-line-trailing-space", 400, "request-line-whitespace", QByteArrayLiteral("HTTP/1.1 \r\n")},
        {"request-line-leading-space", 400, "request-line-whitespace", requestLineEnd},
        {"request-line-two-parts", 400, "request-line-invalid", QByteArrayLiteral("GET /\r\n")},
        {"version-http2", 505, "version-unsupported", QByteArrayLiteral("HTTP/2.0\r\n")},
        {"version-http12", 505, "version-unsupported", QByteArrayLiteral("HTTP/1.2\r\n")},
        {"version-lowercase", 400, "version-invalid", QByteArrayLiteral("http/1.1\r\n")},
        {"version-no-minor", 400, "version-invalid", QByteArrayLiteral("HTTP/11\r\n")},
        {"te-gzip", 501, "transfer-coding-unsupported", headEnd},
        {"te-gzip-chunked", 501, "transfer-coding-unsupported", headEnd},
        {"te-chunked-twice", 501, "transfer-coding-unsupported", headEnd},
        {"te-unknown", 501, "transfer-coding-unsupported", headEnd},
        {"te-empty", 400, "transfer-encoding-invalid", headEnd},
        {"te-http10", 400, "transfer-encoding-http10", headEnd},
    };
    return cases;
}

} // namespace

class TestRequestParser final : public QObject
{
    Q_OBJECT

private slots:
    void validFixtures_data();
    void validFixtures();
    void invalidFixtures_data();
    void invalidFixtures();
    void everyInvalidFixtureIsChecked();

    void simpleGet();
    void contentLengthBodyIsSliceOfRaw();
    void binaryBody();
    void chunkedWithExtensionsAndTrailers();
    void trailersNeverFrame();
    void oddHeaders();
    void expectContinue();
    void targetForms();
    void connectionSemantics();
    void pipelined();
    void emptyPost();
    void leadingEmptyLinesAreDropped();

    void requestLineLimit();
    void headerBytesLimit();
    void headerFieldLimit();
    void contentLengthLimitBeforeBody();
    void chunkedLimit();
    void chunkLineLimit();
    void largeBodyInPieces();
    void externalReject();
};

// Every valid fixture: whole, split at every offset, and byte by byte give the same requests,
// and the raws put together are the input.
void TestRequestParser::validFixtures_data()
{
    QTest::addColumn<QString>("name");
    for (const QString &name : fixtureNames(QStringLiteral("valid")))
        QTest::newRow(qPrintable(name)) << name;
}

void TestRequestParser::validFixtures()
{
    QFETCH(QString, name);
    const QByteArray input = fixture(name);
    const ParserDriver whole = ParserDriver::run(input, {});
    QVERIFY2(whole.violation.isEmpty(), qPrintable(whole.violation));
    QVERIFY2(!whole.failed, qPrintable(whole.rejected.rejection.code));
    QVERIFY(!whole.requests.isEmpty());
    QByteArray joined;
    for (const CapturedRequest &request : whole.requests)
        joined += request.raw;
    QCOMPARE(joined, input);
    QCOMPARE(whole.consumed, input.size());

    for (const QList<qsizetype> &cuts : ParserDriver::allCutPatterns(input.size())) {
        const ParserDriver split = ParserDriver::run(input, cuts);
        QVERIFY2(split.violation.isEmpty(), qPrintable(split.violation));
        QVERIFY(!split.failed);
        QCOMPARE(split.consumed, input.size());
        QCOMPARE(split.wantsClose, whole.wantsClose);
        QCOMPARE(split.requests.size(), whole.requests.size());
        for (qsizetype i = 0; i < whole.requests.size(); ++i)
            QCOMPARE(ParserDriver::describe(split.requests[i]), ParserDriver::describe(whole.requests[i]));
    }
}

void TestRequestParser::invalidFixtures_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QByteArray>("stopAfter");
    for (const InvalidCase &c : invalidCases())
        QTest::newRow(c.name) << QString::fromLatin1(c.name) << c.status << QString::fromLatin1(c.code) << c.stopAfter;
}

void TestRequestParser::invalidFixtures()
{
    QFETCH(QString, name);
    QFETCH(int, status);
    QFETCH(QString, code);
    QFETCH(QByteArray, stopAfter);
    const QByteArray input = fixture(QStringLiteral("invalid/") + name);
    const qsizetype stop = input.indexOf(stopAfter) + stopAfter.size();
    QVERIFY(stop >= stopAfter.size());
    QVERIFY2(stop < input.size(), "the fixture must have bytes after the error point");

    for (const QList<qsizetype> &cuts : ParserDriver::allCutPatterns(input.size())) {
        const ParserDriver driver = ParserDriver::run(input, cuts);
        QVERIFY2(driver.violation.isEmpty(), qPrintable(driver.violation));
        QVERIFY(driver.failed);
        QVERIFY(driver.requests.isEmpty());
        const Http::Rejection &rejection = driver.rejected.rejection;
        QCOMPARE(rejection.code, code);
        QCOMPARE(rejection.status, status);
        QVERIFY(!rejection.reason.isEmpty());
        QCOMPARE(driver.consumed, stop);
        QCOMPARE(rejection.offset, stop);
        QCOMPARE(driver.rejected.raw, input.first(stop));
    }
}

void TestRequestParser::everyInvalidFixtureIsChecked()
{
    QStringList expected;
    for (const InvalidCase &c : invalidCases())
        expected.append(QStringLiteral("invalid/") + QString::fromLatin1(c.name));
    QStringList present = fixtureNames(QStringLiteral("invalid"));
    present.sort();
    expected.sort();
    QCOMPARE(present, expected);
}

void TestRequestParser::simpleGet()
{
    const CapturedRequest request = parseValid(QStringLiteral("get-simple")).front();
    QCOMPARE(request.method, "GET");
    QCOMPARE(request.target, "/hooks/abc?x=1&y=%20");
    QCOMPARE(request.version, "HTTP/1.1");
    QCOMPARE(request.headers.size(), 3);
    QCOMPARE(request.header("host")->value, "example.com");
    QCOMPARE(request.rawLine(request.headers[1]), "User-Agent: test/1.0");
    QCOMPARE(request.bodyOffset, request.raw.size());
    QCOMPARE(request.bodyLength, 0);
    QVERIFY(request.bodyView().isEmpty());
    QVERIFY(!request.chunked);
    QVERIFY(!request.isRejected());
}

void TestRequestParser::contentLengthBodyIsSliceOfRaw()
{
    const CapturedRequest request = parseValid(QStringLiteral("post-json")).front();
    QCOMPARE(request.bodyView(), R"({"event":"ping","id":12345})");
    QCOMPARE(request.bodyLength, 27);
    QCOMPARE(request.bodyOffset, request.raw.indexOf("\r\n\r\n") + 4);
    QCOMPARE(request.bodyView().data(), request.raw.constData() + request.bodyOffset);
    QVERIFY(request.decodedBody.isEmpty());
}

void TestRequestParser::binaryBody()
{
    const CapturedRequest request = parseValid(QStringLiteral("post-binary")).front();
    QCOMPARE(request.bodyView(), QByteArrayLiteral("\x00\x01\xff\xfe\r\n\x00\x80\x7f\r\x00\xc3"));
}

void TestRequestParser::chunkedWithExtensionsAndTrailers()
{
    const CapturedRequest request = parseValid(QStringLiteral("chunked-extensions-trailers")).front();
    QVERIFY(request.chunked);
    QCOMPARE(request.decodedBody, "hello world0123456789");
    QCOMPARE(request.bodyView(), "hello world0123456789");
    QCOMPARE(request.headers.size(), 3);
    QCOMPARE(request.trailers.size(), 2);
    QCOMPARE(request.trailers[0].name, "X-Checksum");
    QCOMPARE(request.trailers[0].value, "abc123");
    QCOMPARE(request.trailers[1].name, "x-other");
    QCOMPARE(request.trailers[1].value, "v");
    QCOMPARE(request.rawLine(request.trailers[1]), "x-other:\tv ");
    QVERIFY(request.raw.endsWith("0;last\r\nX-Checksum: abc123\r\nx-other:\tv \r\n\r\n"));
}

void TestRequestParser::trailersNeverFrame()
{
    // RFC 9110 §6.5.1: framing fields in trailers are kept as data but never obeyed
    const QByteArray message = QByteArrayLiteral("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                                                 "3\r\nabc\r\n0\r\nContent-Length: 99\r\nTransfer-Encoding: gzip\r\n\r\n");
    const ParserDriver driver = ParserDriver::run(QByteArray(message + "GET / HTTP/1.1\r\nHost: h\r\n\r\n"), {});
    QCOMPARE(driver.requests.size(), 2);
    const CapturedRequest &request = driver.requests.front();
    QCOMPARE(request.raw, message);
    QCOMPARE(request.decodedBody, "abc");
    QCOMPARE(request.trailers.size(), 2);
    QCOMPARE(request.trailers[0].value, "99");
    QCOMPARE(request.rawLine(request.trailers[1]), "Transfer-Encoding: gzip");
}

void TestRequestParser::oddHeaders()
{
    const CapturedRequest request = parseValid(QStringLiteral("headers-odd")).front();
    QList<QByteArray> names;
    QList<QByteArray> values;
    for (const Http::HeaderField &field : request.headers) {
        names.append(field.name);
        values.append(field.value);
    }
    QCOMPARE(names, (QList<QByteArray>{"HOST", "x-Dup", "X-DUP", "X-Dup", "X-Empty", "X-Empty-Spaces", "X-High",
                                       "X-Tab"}));
    QCOMPARE(values, (QList<QByteArray>{"example.org", "one", "two", "three", "", "", "caf\xc3\xa9 \x80\xff", "a\tb"}));
    QCOMPARE(request.headersNamed("x-dup").size(), 3);
    QCOMPARE(request.rawLine(request.headers[3]), "X-Dup:  \tthree\t ");
    QCOMPARE(request.rawLine(request.headers[0]), "HOST:   example.org  ");
}

void TestRequestParser::expectContinue()
{
    const QByteArray input = fixture(QStringLiteral("valid/expect-continue"));
    const qsizetype headEnd = input.indexOf("\r\n\r\n") + 4;
    RequestParser parser;
    QCOMPARE(parser.feed(QByteArrayView(input).first(headEnd - 1)), headEnd - 1);
    QVERIFY(!parser.headComplete());
    QVERIFY(!parser.expectsContinue());
    QCOMPARE(parser.feed(QByteArrayView(input).sliced(headEnd - 1, 1)), 1);
    QVERIFY(parser.headComplete());
    QCOMPARE(parser.state(), State::Body);
    QVERIFY(parser.expectsContinue());
    QCOMPARE(parser.feed("da"), 2);
    QVERIFY(parser.expectsContinue());
    QCOMPARE(parser.feed("taGET"), 2);
    QCOMPARE(parser.state(), State::Complete);
    QVERIFY(!parser.expectsContinue());

    // RFC 9110 §10.1.1: ignored in HTTP/1.0, and pointless without a body
    RequestParser http10;
    http10.feed("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
    QVERIFY(http10.headComplete());
    QVERIFY(!http10.expectsContinue());
    RequestParser noBody;
    noBody.feed("GET / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n\r\n");
    QCOMPARE(noBody.state(), State::Complete);
    QVERIFY(!noBody.expectsContinue());
}

void TestRequestParser::targetForms()
{
    QCOMPARE(parseValid(QStringLiteral("absolute-form")).front().target, "http://example.com:8080/p/a/t/h?q=1");
    const CapturedRequest options = parseValid(QStringLiteral("options-asterisk")).front();
    QCOMPARE(options.method, "OPTIONS");
    QCOMPARE(options.target, "*");
    const CapturedRequest connect = parseValid(QStringLiteral("connect-authority")).front();
    QCOMPARE(connect.method, "CONNECT");
    QCOMPARE(connect.target, "example.com:443");
}

void TestRequestParser::connectionSemantics()
{
    const auto closes = [](const QString &name) {
        return ParserDriver::run(fixture(QStringLiteral("valid/") + name), {}).wantsClose.value(0);
    };
    QVERIFY(!closes(QStringLiteral("get-simple")));
    QVERIFY(closes(QStringLiteral("connection-close")));
    QVERIFY(closes(QStringLiteral("http10")));
    QVERIFY(!closes(QStringLiteral("http10-keepalive")));
    const CapturedRequest old = parseValid(QStringLiteral("http10")).front();
    QCOMPARE(old.version, "HTTP/1.0");
    QVERIFY(!old.header("Host"));
    QCOMPARE(parseValid(QStringLiteral("http10-keepalive")).front().bodyView(), "ok");
}

void TestRequestParser::pipelined()
{
    const QByteArray input = fixture(QStringLiteral("valid/pipelined-three"));
    const QList<CapturedRequest> requests = parseValid(QStringLiteral("pipelined-three"), 3);
    QCOMPARE(requests[0].target, "/one");
    QCOMPARE(requests[1].target, "/two");
    QCOMPARE(requests[1].bodyView(), "abc");
    QCOMPARE(requests[2].target, "/three");
    QCOMPARE(requests[2].bodyView(), "xy");
    QCOMPARE(requests[0].raw + requests[1].raw + requests[2].raw, input);

    // the parser stops exactly at the end of the first message
    RequestParser parser;
    const qsizetype first = parser.feed(input);
    QCOMPARE(first, requests[0].raw.size());
    QCOMPARE(parser.feed(input), 0); // Complete: nothing more until takeRequest()
    parser.takeRequest();
    QVERIFY(parser.isIdle());
    QCOMPARE(parser.feed(QByteArrayView(input).sliced(first)), requests[1].raw.size());
}

void TestRequestParser::emptyPost()
{
    const CapturedRequest request = parseValid(QStringLiteral("post-empty")).front();
    QCOMPARE(request.method, "POST");
    QCOMPARE(request.bodyLength, 0);
    QVERIFY(request.bodyView().isEmpty());
}

void TestRequestParser::leadingEmptyLinesAreDropped()
{
    // RFC 9112 §2.2: empty lines before a request line are ignored (consumed, not kept in raw)
    const QByteArray request = QByteArrayLiteral("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    const QByteArray input = "\r\n\r\n" + request;
    for (const QList<qsizetype> &cuts : ParserDriver::allCutPatterns(input.size())) {
        const ParserDriver driver = ParserDriver::run(input, cuts);
        QVERIFY2(driver.violation.isEmpty(), qPrintable(driver.violation));
        QCOMPARE(driver.consumed, input.size());
        QCOMPARE(driver.requests.size(), 1);
        QCOMPARE(driver.requests.front().raw, request);
    }
    RequestParser parser;
    QCOMPARE(parser.feed("\r\n\r"), 3);
    QVERIFY(parser.isIdle());

    // an old client's CRLF after a body does not start a new, partial request
    const QByteArray twice = QByteArrayLiteral("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\nx\r\n") + request;
    const ParserDriver driver = ParserDriver::run(twice, {});
    QCOMPARE(driver.requests.size(), 2);
    QCOMPARE(driver.requests[1].raw, request);
}

void TestRequestParser::requestLineLimit()
{
    ParserLimits limits;
    limits.maxRequestLine = 64;
    const auto line = [](qsizetype pad) -> QByteArray { return "GET /" + repeated('a', pad) + " HTTP/1.1\r\nHost: h\r\n\r\n"; };
    QCOMPARE(ParserDriver::run(line(50), {}, limits).requests.size(), 1); // exactly 64 bytes
    for (const QByteArray &input : {line(51), repeated('a', 10000)}) {
        for (const QList<qsizetype> &cuts : ParserDriver::allCutPatterns(200)) {
            const ParserDriver driver = ParserDriver::run(input, cuts, limits);
            QVERIFY2(driver.violation.isEmpty(), qPrintable(driver.violation));
            QCOMPARE(driver.rejected.rejection.status, 414);
            QCOMPARE(driver.rejected.rejection.code, QStringLiteral("request-line-too-long"));
            QCOMPARE(driver.consumed, limits.maxRequestLine + 2); // never buffers beyond the limit
        }
    }
}

void TestRequestParser::headerBytesLimit()
{
    ParserLimits limits;
    limits.maxHeaderBytes = 100;
    const QByteArray requestLine = QByteArrayLiteral("GET / HTTP/1.1\r\n");
    // section = "Host: h\r\n" (9) + "X-Pad: " pad "\r\n" (9 + pad) + "\r\n" (2)
    const auto request = [&](qsizetype pad) -> QByteArray { return requestLine + "Host: h\r\nX-Pad: " + repeated('p', pad) + "\r\n\r\n"; };
    QCOMPARE(ParserDriver::run(request(80), {}, limits).requests.size(), 1);
    for (const QByteArray &input : {request(81), QByteArray(requestLine + "X-Endless: " + repeated('e', 5000))}) {
        for (const QList<qsizetype> &cuts : ParserDriver::allCutPatterns(160)) {
            const ParserDriver driver = ParserDriver::run(input, cuts, limits);
            QVERIFY2(driver.violation.isEmpty(), qPrintable(driver.violation));
            QCOMPARE(driver.rejected.rejection.status, 431);
            QCOMPARE(driver.rejected.rejection.code, QStringLiteral("header-section-too-large"));
            QCOMPARE(driver.consumed, requestLine.size() + limits.maxHeaderBytes);
        }
    }
}

void TestRequestParser::headerFieldLimit()
{
    ParserLimits limits;
    limits.maxHeaderFields = 3;
    QCOMPARE(ParserDriver::run("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n", {}, limits).requests.size(), 1);
    const QByteArray input = QByteArrayLiteral("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n");
    const ParserDriver driver = ParserDriver::run(input, {}, limits);
    QCOMPARE(driver.rejected.rejection.status, 431);
    QCOMPARE(driver.rejected.rejection.code, QStringLiteral("header-fields-too-many"));
    QCOMPARE(driver.consumed, input.indexOf("C: 3\r\n") + 6);

    const QByteArray trailers = QByteArrayLiteral(
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n");
    QCOMPARE(ParserDriver::run(trailers, {}, limits).rejected.rejection.code, QStringLiteral("header-fields-too-many"));
}

void TestRequestParser::contentLengthLimitBeforeBody()
{
    ParserLimits limits;
    limits.maxBody = 10;
    const QByteArray head = QByteArrayLiteral("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n");
    const QByteArray input = head + "0123456789A";
    for (const QList<qsizetype> &cuts : ParserDriver::allCutPatterns(input.size())) {
        const ParserDriver driver = ParserDriver::run(input, cuts, limits);
        QCOMPARE(driver.rejected.rejection.status, 413);
        QCOMPARE(driver.rejected.rejection.code, QStringLiteral("body-too-large"));
        QCOMPARE(driver.consumed, head.size()); // decided before any body byte
        QCOMPARE(driver.rejected.raw, head);
    }
    const QByteArray fits = QByteArrayLiteral("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789");
    QCOMPARE(ParserDriver::run(fits, {}, limits).requests.value(0).bodyView(), "0123456789");
}

void TestRequestParser::chunkedLimit()
{
    ParserLimits limits;
    limits.maxBody = 10;
    const QByteArray head = QByteArrayLiteral("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n");
    const QByteArray fits = head + "6\r\nabcdef\r\n4\r\nghij\r\n0\r\n\r\n";
    QCOMPARE(ParserDriver::run(fits, {}, limits).requests.value(0).decodedBody, "abcdefghij");
    const QByteArray over = head + "6\r\nabcdef\r\n5\r\nghijk\r\n0\r\n\r\n";
    for (const QList<qsizetype> &cuts : ParserDriver::allCutPatterns(over.size())) {
        const ParserDriver driver = ParserDriver::run(over, cuts, limits);
        QCOMPARE(driver.rejected.rejection.status, 413);
        QCOMPARE(driver.rejected.rejection.code, QStringLiteral("body-too-large"));
        QCOMPARE(driver.consumed, over.indexOf("5\r\n") + 3); // at the size line, before its data
        QCOMPARE(driver.rejected.decodedBody, "abcdef");
    }
}

void TestRequestParser::chunkLineLimit()
{
    ParserLimits limits;
    limits.maxChunkLine = 16;
    const QByteArray head = QByteArrayLiteral("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n");
    QCOMPARE(ParserDriver::run(QByteArray(head + "1;a=0123456789ab\r\nx\r\n0\r\n\r\n"), {}, limits).requests.size(), 1);
    const ParserDriver driver = ParserDriver::run(QByteArray(head + "1;a=0123456789abc\r\nx\r\n0\r\n\r\n"), {}, limits);
    QCOMPARE(driver.rejected.rejection.code, QStringLiteral("chunk-line-too-long"));
    QCOMPARE(driver.consumed, head.size() + limits.maxChunkLine + 2);
}

void TestRequestParser::largeBodyInPieces()
{
    const qsizetype size = 16 * 1024 * 1024;
    const qsizetype piece = 64 * 1024;
    QByteArray body(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        body[i] = char(i * 7 + i / 251);
    const QByteArray head = "POST /big HTTP/1.1\r\nHost: h\r\nContent-Length: " + QByteArray::number(size) + "\r\n\r\n";
    RequestParser parser;
    QCOMPARE(parser.feed(head), head.size());
    for (qsizetype offset = 0; offset < size; offset += piece)
        QCOMPARE(parser.feed(QByteArrayView(body).sliced(offset, piece)), piece);
    QCOMPARE(parser.state(), State::Complete);
    const CapturedRequest request = parser.takeRequest();
    QCOMPARE(request.bodyLength, size);
    QVERIFY(request.bodyView() == body);

    // the same body chunked, one chunk per piece
    RequestParser chunked;
    chunked.feed("POST /big HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (qsizetype offset = 0; offset < size; offset += piece) {
        const QByteArray framed = QByteArray::number(piece, 16) + "\r\n" + body.sliced(offset, piece) + "\r\n";
        QCOMPARE(chunked.feed(framed), framed.size());
    }
    chunked.feed("0\r\n\r\n");
    QCOMPARE(chunked.state(), State::Complete);
    QVERIFY(chunked.takeRequest().decodedBody == body);
}

void TestRequestParser::externalReject()
{
    const QByteArray partial = QByteArrayLiteral("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 9\r\n\r\nabc");
    RequestParser parser;
    QCOMPARE(parser.feed(partial), partial.size());
    QCOMPARE(parser.state(), State::Body);
    parser.reject(408, QStringLiteral("request-timeout"), QStringLiteral("The body did not arrive in time."));
    QCOMPARE(parser.state(), State::Error);
    QCOMPARE(parser.feed("def"), 0);
    QCOMPARE(parser.rejection().offset, partial.size());
    const CapturedRequest request = parser.takeRequest();
    QCOMPARE(request.rejection.status, 408);
    QCOMPARE(request.raw, partial);
    QVERIFY(parser.isIdle());
    QCOMPARE(parser.rejection().status, 0);
}

QTEST_GUILESS_MAIN(TestRequestParser)
#include "tst_requestparser.moc"
