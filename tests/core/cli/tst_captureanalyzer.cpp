// The per-capture analysis that listen and the window store: the event JSON text, written
// directly, against what QJsonDocument writes; and the lifecycle anomalies it carries.
#include "capture/storereader.h"
#include "cli/captureanalyzer.h"
#include "events/samples.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

class TestCaptureAnalyzer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void eventJsonIsWhatQtWrites_data();
    void eventJsonIsWhatQtWrites();
    void duplicateDeliveryIsAnAnomaly();
};

void TestCaptureAnalyzer::eventJsonIsWhatQtWrites_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("entityId");
    QTest::addColumn<QString>("summary");
    QTest::addColumn<int>("anomalyCount");
    QTest::newRow("recognised") << QStringLiteral("Coupon Creation") << QStringLiteral("cp-1") << QStringLiteral("Coupon cp-1 created") << 0;
    QTest::newRow("unrecognised") << QString() << QString() << QStringLiteral("POST with a JSON object of 3 keys") << 0;
    QTest::newRow("escapes") << QStringLiteral("Coupon \"Charged\"") << QStringLiteral("a\\b/c\t\n\u0001\u007f")
                             << QStringLiteral("é ünïcødé 💳 \u2028 </script>") << 2;
    QTest::newRow("anomaly") << QStringLiteral("Coupon Redemption") << QStringLiteral("cp-9") << QStringLiteral("redeemed") << 1;
}

void TestCaptureAnalyzer::eventJsonIsWhatQtWrites()
{
    QFETCH(QString, type);
    QFETCH(QString, entityId);
    QFETCH(QString, summary);
    QFETCH(int, anomalyCount);
    const Events::EventSummary event{type, entityId, summary};
    QList<Events::Timeline::Anomaly> anomalies;
    QJsonObject expected = event.toJson();
    QJsonArray list;
    for (int i = 0; i < anomalyCount; ++i) {
        Events::Timeline::Anomaly anomaly;
        anomaly.code = i == 0 ? QStringLiteral("duplicate-delivery") : QStringLiteral("step-out-of-order");
        anomaly.sentence = QStringLiteral("Capture %1 repeats \"%2\"\n").arg(i + 7).arg(summary);
        anomaly.captureIds = {qint64(3) + i, qint64(1) << 40};
        anomalies.append(anomaly);
        list.append(QJsonObject{{QStringLiteral("code"), anomaly.code},
                                {QStringLiteral("message"), anomaly.sentence},
                                {QStringLiteral("captureIds"), QJsonArray{anomaly.captureIds.at(0), anomaly.captureIds.at(1)}}});
    }
    if (!list.isEmpty())
        expected.insert(QStringLiteral("anomalies"), list);
    QCOMPARE(Cli::eventJson(event, anomalies), QJsonDocument(expected).toJson(QJsonDocument::Compact));
}

void TestCaptureAnalyzer::duplicateDeliveryIsAnAnomaly()
{
    const Cli::CaptureAnalyzer analyzer(Verify::KeySet(), Verify::Policy::strict());
    const QByteArray body = *Events::samplePayload(QStringLiteral("coupon-creation"));
    const QByteArray raw = "POST /hook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                           + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    QList<Capture::Annotation> annotations;
    QList<QJsonObject> events;
    for (qint64 id : {11, 12}) {
        Http::CapturedRequest capture = Capture::parseRaw(raw);
        capture.id = id;
        capture.firstByteAt = QDateTime::fromMSecsSinceEpoch(1'800'000'000'000 + id, Qt::UTC);
        QJsonObject event;
        annotations.append(analyzer.finish(capture, analyzer.prepare(capture), &event));
        events.append(event);
    }
    QCOMPARE(annotations.at(0).eventType, QStringLiteral("Coupon Creation"));
    QVERIFY(!annotations.at(0).eventJson.contains("anomalies"));
    QVERIFY(annotations.at(1).problemCodes.contains(QStringLiteral("duplicate-delivery")));
    const QJsonArray anomalies = events.at(1).value(QStringLiteral("anomalies")).toArray();
    QCOMPARE(anomalies.size(), 1);
    QCOMPARE(anomalies.at(0)[QStringLiteral("code")].toString(), QStringLiteral("duplicate-delivery"));
    QCOMPARE(anomalies.at(0)[QStringLiteral("captureIds")].toArray(), (QJsonArray{11, 12}));
    // The text stored and printed is the object the window receives.
    QCOMPARE(QJsonDocument::fromJson(annotations.at(1).eventJson).object(), events.at(1));
    QCOMPARE(events.at(1).value(QStringLiteral("type")).toString(), QStringLiteral("Coupon Creation"));
}

QTEST_GUILESS_MAIN(TestCaptureAnalyzer)
#include "tst_captureanalyzer.moc"
