#include "capture/capturefilter.h"
#include "capture/store.h"

#include <QTemporaryDir>
#include <QTest>

using Capture::CaptureFilter;
using Capture::FilterRow;

/// The filter language: parsing (with error positions) and evaluation, including store terms.
class TestCaptureFilter final : public QObject
{
    Q_OBJECT

private:
    static FilterRow row(QByteArrayView method, QByteArrayView path, Capture::Verdict verdict = Capture::Verdict::Verified,
                         int status = 200)
    {
        FilterRow r;
        r.id = 1;
        r.method = method;
        r.path = path;
        r.verdict = verdict;
        r.responseStatus = status;
        r.endpoint = u"main";
        r.eventType = u"invoice.paid";
        r.receivedAtMs = QDateTime(QDate(2026, 12, 1), QTime(10, 30), Qt::UTC).toMSecsSinceEpoch();
        return r;
    }
    static CaptureFilter parsed(const QString &text)
    {
        const auto filter = CaptureFilter::parse(text, QDateTime(QDate(2026, 12, 1), QTime(12, 0), Qt::UTC));
        if (!filter)
            qWarning() << text << filter.error().position << filter.error().message;
        return filter.value_or(CaptureFilter());
    }

private Q_SLOTS:
    void parsesValidExpressions_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("canonical");
        QTest::newRow("and-not") << u"method:POST and path:/hooks and not verdict:verified"_qs
                                 << u"((method=post and path~/hooks) and not verdict=verified)"_qs;
        QTest::newRow("juxtaposition") << u"method:POST path:/a"_qs << u"(method=post and path~/a)"_qs;
        QTest::newRow("precedence") << u"a or b and c"_qs << u"(any~a or (any~b and any~c))"_qs;
        QTest::newRow("parens") << u"(a or b) and c"_qs << u"((any~a or any~b) and any~c)"_qs;
        QTest::newRow("header") << u"header[Digest]:SHA-256"_qs << u"header[digest]~sha-256"_qs;
        QTest::newRow("header-presence") << u"header[x-sig]"_qs << u"header[x-sig]?"_qs;
        QTest::newRow("body-quoted") << u"body:\"coupon code\""_qs << u"body~coupon code"_qs;
        QTest::newRow("status-ge") << u"status:>=400"_qs << u"status>=400"_qs;
        QTest::newRow("status-class") << u"status:4xx"_qs << u"status..400..499"_qs;
        QTest::newRow("symbols") << u"!(method:GET) && status:200 || is:pinned"_qs
                                 << u"((not method=get and status=200) or is=0)"_qs;
        QTest::newRow("empty") << QString() << QString();
    }
    void parsesValidExpressions()
    {
        QFETCH(QString, text);
        QFETCH(QString, canonical);
        const auto filter = CaptureFilter::parse(text);
        QVERIFY2(filter.has_value(), qPrintable(filter ? QString() : filter.error().message));
        QCOMPARE(filter->toString(), canonical);
    }

    void reportsErrorsWithPositions_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("position");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("unknown-field") << u"method:POST and colour:red"_qs << 16 << u"unknown field 'colour'"_qs;
        QTest::newRow("missing-paren") << u"(method:POST or path:/x"_qs << 23 << u"expected ')'"_qs;
        QTest::newRow("stray-paren") << u"method:POST)"_qs << 11 << u"unexpected ')'"_qs;
        QTest::newRow("dangling-and") << u"method:POST and"_qs << 15 << u"expected a term"_qs;
        QTest::newRow("leading-or") << u"or path:/x"_qs << 0 << u"expected a term before 'or'"_qs;
        QTest::newRow("bad-verdict") << u"verdict:great"_qs << 8 << u"unknown verdict 'great'"_qs;
        QTest::newRow("bad-status") << u"status:>=abc"_qs << 7 << u"needs a number"_qs;
        QTest::newRow("bad-time") << u"time:yesterday"_qs << 5 << u"'time' needs"_qs;
        QTest::newRow("quote") << u"body:\"open"_qs << 5 << u"unterminated quote"_qs;
        QTest::newRow("no-value") << u"path: and"_qs << 5 << u"expected a value"_qs;
        QTest::newRow("header-no-name") << u"header:x"_qs << 0 << u"header[name]"_qs;
    }
    void reportsErrorsWithPositions()
    {
        QFETCH(QString, text);
        QFETCH(int, position);
        QFETCH(QString, fragment);
        const auto filter = CaptureFilter::parse(text);
        QVERIFY(!filter.has_value());
        QCOMPARE(filter.error().position, position);
        QVERIFY2(filter.error().message.contains(fragment), qPrintable(filter.error().message));
    }

    void evaluatesSummaryTerms()
    {
        QVERIFY(parsed(u"method:post and path:/hooks and not verdict:verified"_qs)
                    .matches(row("POST", "/hooks/a", Capture::Verdict::Invalid)));
        QVERIFY(!parsed(u"method:post and path:/hooks and not verdict:verified"_qs).matches(row("POST", "/hooks/a")));
        QVERIFY(!parsed(u"method:post"_qs).matches(row("GET", "/hooks")));
        QVERIFY(parsed(u"status:>=400"_qs).matches(row("POST", "/", Capture::Verdict::Rejected, 413)));
        QVERIFY(!parsed(u"status:>=400"_qs).matches(row("POST", "/")));
        QVERIFY(parsed(u"status:4xx"_qs).matches(row("POST", "/", Capture::Verdict::Rejected, 404)));
        QVERIFY(parsed(u"endpoint:MAIN"_qs).matches(row("POST", "/")));
        QVERIFY(!parsed(u"endpoint:other"_qs).matches(row("POST", "/")));
        QVERIFY(parsed(u"event:invoice"_qs).matches(row("POST", "/")));
        QVERIFY(parsed(u"verdict:failed"_qs).matches(row("POST", "/", Capture::Verdict::Invalid)));
        QVERIFY(parsed(u"hooks"_qs).matches(row("POST", "/HOOKS")));
        QVERIFY(parsed(u"(method:GET or method:POST) and not is:pinned"_qs).matches(row("POST", "/")));
    }

    void evaluatesTimeTerms()
    {
        const FilterRow r = row("POST", "/"); // 2026-12-01 10:30 UTC; "now" is that day in UTC
        QVERIFY(parsed(u"time:>2026-12-01T10:00"_qs).matches(r));
        QVERIFY(!parsed(u"time:>2026-12-01T10:30"_qs).matches(r)); // after the whole minute
        QVERIFY(parsed(u"time:10:00..11:00"_qs).matches(r));
        QVERIFY(!parsed(u"time:11:00..12:00"_qs).matches(r));
        QVERIFY(parsed(u"time:2026-12-01"_qs).matches(r));
        QVERIFY(!parsed(u"time:<2026-12-01"_qs).matches(r));
    }

    void resolvesStoreTermsWithSql()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"captures.db"_qs);
        auto store = Capture::Store::open(path);
        QVERIFY(store.has_value());
        const QList<QByteArray> raws = {
            "POST /a HTTP/1.1\r\nHost: x\r\nDigest: SHA-256=abc\r\nContent-Length: 12\r\n\r\ncoupon=HALF!",
            "POST /b HTTP/1.1\r\nHost: x\r\nX-Coupon: yes\r\nContent-Length: 5\r\n\r\nhello",
        };
        for (const QByteArray &raw : raws) {
            auto request = std::make_shared<Http::CapturedRequest>();
            request->raw = raw;
            request->method = "POST";
            request->target = "/";
            request->firstByteAt = request->lastByteAt = QDateTime::currentDateTimeUtc();
            (*store)->append(request);
        }
        (*store)->flush();
        Capture::Annotation annotation;
        annotation.id = 2;
        annotation.verdict = Capture::Verdict::Invalid;
        annotation.problemCodes = {u"digest-mismatch"_qs, u"clock-skew"_qs};
        (*store)->annotate(annotation);
        (*store)->flush();

        const auto ids = [&](const QString &text) {
            CaptureFilter filter = parsed(text);
            const auto resolved = filter.resolveStoreTerms(path);
            if (!resolved)
                qWarning() << resolved.error();
            QList<qint64> matching;
            for (qint64 id : {1, 2}) {
                FilterRow r = row("POST", "/");
                r.id = id;
                if (filter.matches(r))
                    matching.append(id);
            }
            return matching;
        };
        QCOMPARE(ids(u"body:coupon"_qs), QList<qint64>{1});   // body only: "X-Coupon" is a header of 2
        QCOMPARE(ids(u"header[digest]:sha-256"_qs), QList<qint64>{1});
        QCOMPARE(ids(u"header[x-coupon]"_qs), QList<qint64>{2});
        QCOMPARE(ids(u"header[host]:x and not body:hello"_qs), QList<qint64>{1});
        QCOMPARE(ids(u"problem:digest-mismatch"_qs), QList<qint64>{2});
        QCOMPARE(ids(u"problem:digest"_qs), QList<qint64>{}); // whole codes only
    }
};

QTEST_GUILESS_MAIN(TestCaptureFilter)
#include "tst_capturefilter.moc"
