#include "events/profilecatalog.h"
#include "events/samples.h"
#include "events/timeline.h"

#include <QJsonDocument>
#include <QTest>

using namespace Events;

class TestTimeline : public QObject
{
    Q_OBJECT

private:
    Decoder m_decoder;
    Timeline m_timeline;
    qint64 m_nextCapture = 1;
    QDateTime m_clock = QDateTime(QDate(2022, 5, 20), QTime(12, 0), Qt::UTC);

    // A coupon event like the samples, with its own time (seconds after 09:00) when >= 0.
    QByteArray coupon(const QString &event, const QString &couponId, int atSecond = -1, const QString &eventId = {})
    {
        QJsonObject object{{QStringLiteral("type"), event}, {QStringLiteral("couponId"), couponId}};
        if (atSecond >= 0)
            object.insert(QStringLiteral("timestamp"), QDateTime(QDate(2022, 5, 20), QTime(9, 0), Qt::UTC).addSecs(atSecond).toString(Qt::ISODate));
        if (!eventId.isEmpty())
            object.insert(QStringLiteral("eventId"), eventId);
        return QJsonDocument(object).toJson(QJsonDocument::Compact);
    }

    // Feeds one body as the next capture, one minute after the previous one.
    QList<Timeline::Anomaly> arrive(const QByteArray &body)
    {
        m_clock = m_clock.addSecs(60);
        return m_timeline.add(m_nextCapture++, m_clock, m_decoder.decode({}, body));
    }

    static QStringList codes(const QList<Timeline::Anomaly> &anomalies)
    {
        QStringList list;
        for (const Timeline::Anomaly &anomaly : anomalies)
            list.append(anomaly.code);
        return list;
    }

private slots:
    void initTestCase()
    {
        ProfileCatalog catalog;
        QVERIFY(catalog.loadFolder(ProfileCatalog::builtinFolder()).isEmpty());
        m_decoder = catalog.decoder();
    }

    void init()
    {
        m_timeline.clear();
        m_nextCapture = 1;
        m_clock = QDateTime(QDate(2022, 5, 20), QTime(12, 0), Qt::UTC);
    }

    void regularLifecycleHasNoAnomaly()
    {
        QVERIFY(arrive(coupon(QStringLiteral("coupon.created"), QStringLiteral("cp-1"), 0)).isEmpty());
        QVERIFY(arrive(*samplePayload(QStringLiteral("conversation-ended"))).isEmpty());
        QVERIFY(arrive(coupon(QStringLiteral("coupon.redeemed"), QStringLiteral("cp-1"), 10)).isEmpty());
        QVERIFY(arrive(coupon(QStringLiteral("coupon.redeemed"), QStringLiteral("cp-1"), 20)).isEmpty()); // may repeat
        QVERIFY(arrive(coupon(QStringLiteral("coupon.charged"), QStringLiteral("cp-1"), 30)).isEmpty());
        QVERIFY(arrive(coupon(QStringLiteral("coupon.expired"), QStringLiteral("cp-1"), 40)).isEmpty());
        QVERIFY(arrive(coupon(QStringLiteral("coupon.created"), QStringLiteral("cp-2"))).isEmpty());
        QVERIFY(m_timeline.anomalies().isEmpty());

        QCOMPARE(m_timeline.groups().size(), 3);
        const Timeline::Group *first = m_timeline.group(QStringLiteral("coupon"), QStringLiteral("cp-1"));
        QVERIFY(first);
        QCOMPARE(first->entries.size(), 5);
        QList<qint64> ids;
        for (const Timeline::Entry &entry : first->entries)
            ids.append(entry.captureId);
        QCOMPARE(ids, (QList<qint64>{1, 3, 4, 5, 6}));
        QCOMPARE(first->entries.at(2).summary, QStringLiteral("Coupon cp-1 redeemed"));
        QCOMPARE(m_timeline.groupOf(2)->entity, QStringLiteral("conversation"));
        QCOMPARE(m_timeline.groupOf(2)->entityId, QStringLiteral("c-81"));
    }

    void unrecognizedEventsAreIgnored()
    {
        QVERIFY(arrive("not json").isEmpty());
        QVERIFY(arrive("not json").isEmpty());
        QVERIFY(m_timeline.groups().isEmpty());
    }

    void sameBytesTwiceIsARetry()
    {
        const QByteArray body = *samplePayload(QStringLiteral("conversation-ended"));
        QVERIFY(arrive(body).isEmpty());
        const QList<Timeline::Anomaly> anomalies = arrive(body);
        QCOMPARE(codes(anomalies), QStringList{QStringLiteral("duplicate-delivery")});
        QCOMPARE(anomalies.at(0).captureIds, (QList<qint64>{1, 2}));
        QVERIFY(anomalies.at(0).sentence.contains(QStringLiteral("byte for byte")));
        // A retry is not a second end of the conversation.
        QCOMPARE(codes(m_timeline.anomalies()), QStringList{QStringLiteral("duplicate-delivery")});
        QCOMPARE(m_timeline.anomaliesFor(2).size(), 1);
        QCOMPARE(m_timeline.anomaliesFor(1).size(), 1);
    }

    void sameEventIdIsARetry()
    {
        QVERIFY(arrive(coupon(QStringLiteral("Coupon Charged"), QStringLiteral("cp-1"), 5, QStringLiteral("ev-1"))).isEmpty());
        const QList<Timeline::Anomaly> anomalies = arrive(coupon(QStringLiteral("Coupon Charged"), QStringLiteral("cp-1"), 6, QStringLiteral("ev-1")));
        QCOMPARE(codes(anomalies), QStringList{QStringLiteral("duplicate-delivery")});
        QVERIFY(anomalies.at(0).sentence.contains(QStringLiteral("\"ev-1\"")));
    }

    void eventTimeGoingBackwards()
    {
        QVERIFY(arrive(coupon(QStringLiteral("coupon.created"), QStringLiteral("cp-1"), 0)).isEmpty());
        QVERIFY(arrive(coupon(QStringLiteral("coupon.redeemed"), QStringLiteral("cp-1"), 50)).isEmpty());
        const QList<Timeline::Anomaly> anomalies = arrive(coupon(QStringLiteral("coupon.charged"), QStringLiteral("cp-1"), 30));
        QCOMPARE(codes(anomalies), QStringList{QStringLiteral("timestamp-out-of-order")});
        QCOMPARE(anomalies.at(0).captureIds, (QList<qint64>{2, 3}));
        QCOMPARE(anomalies.at(0).entityId, QStringLiteral("cp-1"));

        // By their own times, the charge comes before the redemption.
        QList<qint64> order;
        for (const Timeline::Entry &entry : m_timeline.groupOf(3)->byEventTime())
            order.append(entry.captureId);
        QCOMPARE(order, (QList<qint64>{1, 3, 2}));
    }

    void stepBeforeItsPredecessor()
    {
        QVERIFY(arrive(coupon(QStringLiteral("coupon.redeemed"), QStringLiteral("cp-1"))).isEmpty());
        const QList<Timeline::Anomaly> anomalies = arrive(coupon(QStringLiteral("coupon.created"), QStringLiteral("cp-1")));
        QCOMPARE(codes(anomalies), QStringList{QStringLiteral("step-out-of-order")});
        QCOMPARE(anomalies.at(0).captureIds, (QList<qint64>{1, 2}));
        QCOMPARE(anomalies.at(0).sentence,
                 QStringLiteral("Coupon Creation for coupon cp-1 (capture 2) arrived after Coupon Redemption (capture 1), which should come after it."));
    }

    void redeemedAfterExpiring()
    {
        QVERIFY(arrive(coupon(QStringLiteral("coupon.created"), QStringLiteral("cp-7"))).isEmpty());
        QVERIFY(arrive(coupon(QStringLiteral("coupon.expired"), QStringLiteral("cp-7"))).isEmpty());
        const QList<Timeline::Anomaly> anomalies = arrive(coupon(QStringLiteral("coupon.redeemed"), QStringLiteral("cp-7")));
        QCOMPARE(codes(anomalies), QStringList{QStringLiteral("forbidden-after")});
        QCOMPARE(anomalies.at(0).sentence, QStringLiteral("Coupon cp-7 was redeemed after it expired."));
        QCOMPARE(anomalies.at(0).captureIds, (QList<qint64>{2, 3}));
    }

    void chargedTwice()
    {
        QVERIFY(arrive(coupon(QStringLiteral("coupon.charged"), QStringLiteral("cp-1"))).isEmpty());
        QVERIFY(arrive(coupon(QStringLiteral("coupon.charged"), QStringLiteral("cp-2"))).isEmpty()); // another coupon
        const QList<Timeline::Anomaly> anomalies = arrive(coupon(QStringLiteral("coupon.charged"), QStringLiteral("cp-1"), 9));
        QCOMPARE(codes(anomalies), QStringList{QStringLiteral("repeated-step")});
        QCOMPARE(anomalies.at(0).sentence, QStringLiteral("Coupon cp-1 was charged twice."));
        QCOMPARE(anomalies.at(0).captureIds, (QList<qint64>{1, 3}));
    }

    void conversationEndedTwice()
    {
        QJsonObject ended = QJsonDocument::fromJson(*samplePayload(QStringLiteral("conversation-ended"))).object();
        QVERIFY(arrive(QJsonDocument(ended).toJson()).isEmpty());
        ended.insert(QStringLiteral("status"), QStringLiteral("dropped"));
        const QList<Timeline::Anomaly> anomalies = arrive(QJsonDocument(ended).toJson());
        QCOMPARE(codes(anomalies), QStringList{QStringLiteral("repeated-step")});
        QCOMPARE(anomalies.at(0).sentence, QStringLiteral("Conversation c-81 ended twice."));
        QCOMPARE(anomalies.at(0).entity, QStringLiteral("conversation"));
    }

    void lateAdditionIsPlacedByArrival()
    {
        // Loaded from a store newest first: the creation arrived first even though it is added last.
        const QDateTime noon(QDate(2022, 5, 20), QTime(12, 0), Qt::UTC);
        QVERIFY(m_timeline.add(2, noon.addSecs(2), m_decoder.decode({}, coupon(QStringLiteral("coupon.redeemed"), QStringLiteral("cp-1")))).isEmpty());
        QVERIFY(m_timeline.add(1, noon.addSecs(1), m_decoder.decode({}, coupon(QStringLiteral("coupon.created"), QStringLiteral("cp-1")))).isEmpty());
        QVERIFY(m_timeline.anomalies().isEmpty());
        QCOMPARE(m_timeline.groups().at(0).entries.at(0).captureId, 1);

        // And one that arrived in between but repeats the creation is flagged when it comes.
        const QList<Timeline::Anomaly> anomalies =
            m_timeline.add(3, noon.addSecs(1).addMSecs(500), m_decoder.decode({}, coupon(QStringLiteral("coupon.created"), QStringLiteral("cp-1"), 3)));
        QCOMPARE(codes(anomalies), QStringList{QStringLiteral("repeated-step")});
        QCOMPARE(anomalies.at(0).captureIds, (QList<qint64>{1, 3}));
        QCOMPARE(m_timeline.anomalies().size(), 1);
    }

    void staysBoundedOnALongRun()
    {
        // A listener running for days: each group keeps its newest entries and anomalies, and
        // the least recently active groups are forgotten.
        Timeline small(Timeline::Limits{8, 4, 3});
        const QByteArray body = coupon(QStringLiteral("coupon.created"), QStringLiteral("cp-1"), 0);
        QVERIFY(small.add(1, m_clock, m_decoder.decode({}, body)).isEmpty());
        for (qint64 id = 2; id <= 100; ++id) {
            const QList<Timeline::Anomaly> anomalies = small.add(id, m_clock.addSecs(id), m_decoder.decode({}, body));
            QCOMPARE(codes(anomalies), QStringList{QStringLiteral("duplicate-delivery")});
            QVERIFY(small.groups().at(0).entries.size() <= 10);
            QVERIFY(small.groups().at(0).anomalies.size() <= 4);
        }
        QCOMPARE(small.groups().at(0).entries.constLast().captureId, 100);
        QCOMPARE(small.anomaliesFor(100).size(), 1);
        QVERIFY(!small.groupOf(1)); // trimmed

        for (int i = 2; i <= 6; ++i) {
            const QString id = QStringLiteral("cp-%1").arg(i);
            QVERIFY(small.add(100 + i, m_clock.addSecs(100 + i), m_decoder.decode({}, coupon(QStringLiteral("coupon.created"), id))).isEmpty());
            QVERIFY(small.groups().size() <= 3);
            QVERIFY(small.group(QStringLiteral("coupon"), id));
        }
        QVERIFY(!small.group(QStringLiteral("coupon"), QStringLiteral("cp-1")));
        QVERIFY(!small.groupOf(100));
        QCOMPARE(small.groupOf(106)->entityId, QStringLiteral("cp-6"));
    }
};

QTEST_GUILESS_MAIN(TestTimeline)
#include "tst_timeline.moc"
