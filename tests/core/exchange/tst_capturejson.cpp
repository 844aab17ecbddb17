// listen --json lines written as text: the same bytes as the QJsonObject the exporter builds.
#include "capture/storereader.h"
#include "exchange/capturejson.h"

#include <QJsonDocument>
#include <QTest>

class TestCaptureJson : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void textEqualsObject_data();
    void textEqualsObject();
};

void TestCaptureJson::textEqualsObject_data()
{
    QTest::addColumn<int>("kind");
    QTest::newRow("plain") << 0;
    QTest::newRow("rejected") << 1;
    QTest::newRow("tls and imported") << 2;
    QTest::newRow("odd bytes in the target") << 3;
}

void TestCaptureJson::textEqualsObject()
{
    QFETCH(int, kind);
    Http::CapturedRequest capture = Capture::parseRaw(
        kind == 3 ? QByteArray("GET /caf\xe9?q=\"x\"\\ HTTP/1.1\r\nHost: a\r\n\r\n")
                  : QByteArray("POST /hook HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n{}"));
    capture.id = 42;
    capture.firstByteAt = QDateTime(QDate(2026, 12, 3), QTime(13, 22, 31, 123), Qt::UTC);
    capture.endpoint = QStringLiteral("default \"ü\"");
    capture.remoteAddress = QStringLiteral("127.0.0.1");
    capture.remotePort = 50123;
    capture.responseStatus = 200;
    if (kind == 1) {
        capture.rejection = {400, QStringLiteral("obs-fold"), QStringLiteral("Line folding\tis obsolete."), 37};
        capture.responseStatus = 400;
    }
    if (kind == 2) {
        capture.tlsProtocol = QStringLiteral("TLSv1.3");
        capture.tlsCipher = QStringLiteral("TLS_AES_256_GCM_SHA384");
        capture.imported = true;
    }
    const QByteArray verification = R"({"digest":{"status":"valid"},"problems":[],"verdict":"verified"})";
    const QByteArray event = R"({"summary":"Conversation c-81 ended","type":"Conversation Ended"})";
    const QJsonObject verificationObject = QJsonDocument::fromJson(verification).object();
    const QJsonObject eventObject = QJsonDocument::fromJson(event).object();

    QCOMPARE(Exchange::captureJsonText(capture, verification, event),
             QJsonDocument(Exchange::captureToJson(capture, verificationObject, eventObject)).toJson(QJsonDocument::Compact));
    // Nothing analysed (rejected captures): verification null, no event.
    QCOMPARE(Exchange::captureJsonText(capture, {}, {}),
             QJsonDocument(Exchange::captureToJson(capture, {}, {})).toJson(QJsonDocument::Compact));
}

QTEST_GUILESS_MAIN(TestCaptureJson)
#include "tst_capturejson.moc"
