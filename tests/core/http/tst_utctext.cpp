#include "http/utctext.h"

#include <QRandomGenerator>
#include <QTest>
#include <QTimeZone>

// Http::utcText writes what Qt writes, faster: compared here with Qt's own formatting.
class TestUtcText : public QObject
{
    Q_OBJECT

private:
    static void compareWithQt(const QDateTime &time)
    {
        QCOMPARE(Http::utcText(time, Http::UtcPrecision::Seconds), time.toUTC().toString(Qt::ISODate));
        QCOMPARE(Http::utcText(time, Http::UtcPrecision::Milliseconds),
                 time.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ")));
    }

private Q_SLOTS:
    void examples()
    {
        const QDateTime time(QDate(2026, 12, 4), QTime(9, 5, 7, 42), Qt::UTC);
        QCOMPARE(Http::utcText(time, Http::UtcPrecision::Seconds), QStringLiteral("2026-12-04T09:05:07Z"));
        QCOMPARE(Http::utcText(time, Http::UtcPrecision::Milliseconds), QStringLiteral("2026-12-04T09:05:07.042Z"));
        // Another zone is written in UTC.
        const QDateTime paris(QDate(2026, 12, 4), QTime(0, 30), QTimeZone(3600));
        QCOMPARE(Http::utcText(paris, Http::UtcPrecision::Seconds), QStringLiteral("2026-12-03T23:30:00Z"));
    }

    void edgesAsQtWritesThem()
    {
        const QList<QDateTime> times = {
            QDateTime::fromMSecsSinceEpoch(0, Qt::UTC),
            QDateTime::fromMSecsSinceEpoch(-1, Qt::UTC), // 1969-12-31T23:59:59.999
            QDateTime::fromMSecsSinceEpoch(-86'400'000, Qt::UTC),
            QDateTime(QDate(2024, 2, 29), QTime(23, 59, 59, 999), Qt::UTC),
            QDateTime(QDate(1000, 1, 1), QTime(0, 0), Qt::UTC),
            QDateTime(QDate(999, 12, 31), QTime(23, 59, 59), Qt::UTC), // Qt's path
            QDateTime(QDate(9999, 12, 31), QTime(23, 59, 59, 999), Qt::UTC),
            QDateTime(QDate(10000, 1, 1), QTime(0, 0), Qt::UTC), // Qt's path
            QDateTime(QDate(1601, 3, 1), QTime(12, 0), Qt::UTC),
            QDateTime(), // invalid: Qt's path
        };
        for (const QDateTime &time : times)
            compareWithQt(time);
    }

    void randomTimes()
    {
        QRandomGenerator random(20261204);
        const qint64 from = QDateTime(QDate(1000, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
        const qint64 to = QDateTime(QDate(9999, 12, 31), QTime(23, 59, 59, 999), Qt::UTC).toMSecsSinceEpoch();
        for (int i = 0; i < 20000; ++i)
            compareWithQt(QDateTime::fromMSecsSinceEpoch(from + qint64(random.bounded(double(to - from))), Qt::UTC));
    }
};

QTEST_GUILESS_MAIN(TestUtcText)
#include "tst_utctext.moc"
