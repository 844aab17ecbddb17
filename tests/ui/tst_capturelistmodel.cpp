#include "capturefilterproxy.h"
#include "capturelistmodel.h"

#include "capture/store.h"

#include <QAbstractItemModelTester>
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace {

Capture::CapturePtr capture(qint64 id, const QByteArray &method, const QByteArray &target, const QString &endpoint = QStringLiteral("main"))
{
    auto c = std::make_shared<Http::CapturedRequest>();
    c->id = id;
    c->method = method;
    c->target = target;
    c->endpoint = endpoint;
    c->responseStatus = 200;
    c->firstByteAt = c->lastByteAt = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000 + id * 1000, Qt::UTC);
    return c;
}

Capture::Annotation verdict(qint64 id, Capture::Verdict v, const QString &signature)
{
    Capture::Annotation a;
    a.id = id;
    a.verdict = v;
    a.signatureStatus = signature;
    a.eventType = QStringLiteral("invoice.paid");
    return a;
}

Capture::CaptureFilter filter(const QString &text)
{
    return Capture::CaptureFilter::parse(text).value();
}

} // namespace

/// CaptureListModel and CaptureFilterProxy under QAbstractItemModelTester: batched inserts,
/// annotations by id, removal, filtering off the GUI thread with the selection kept.
class TestCaptureListModel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void oneInsertPerFlush()
    {
        CaptureListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        for (qint64 id = 1; id <= 5000; ++id)
            model.enqueue(capture(id, "POST", "/hooks/" + QByteArray::number(id)));
        QCOMPARE(model.rowCount(), 0); // nothing until the timer flushes
        QTRY_COMPARE(model.rowCount(), 5000);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 0);
        QCOMPARE(inserted.at(0).at(2).toInt(), 4999);

        for (qint64 id = 5001; id <= 5100; ++id)
            model.enqueue(capture(id, "PUT", "/more"));
        model.flushPending();
        QCOMPARE(inserted.size(), 2);
        QCOMPARE(model.rowCount(), 5100);
        QCOMPARE(model.index(5099, CaptureListModel::Method).data().toString(), QStringLiteral("PUT"));
        QCOMPARE(model.index(41, CaptureListModel::Path).data().toString(), QStringLiteral("/hooks/42"));
        QCOMPARE(model.index(41, 0).data(CaptureListModel::IdRole).toLongLong(), 42);
        QVERIFY(!model.index(0, CaptureListModel::Signature).data(Qt::ForegroundRole).isValid()); // no colours
    }

    void pauseHoldsCapturesBack()
    {
        CaptureListModel model;
        model.setPaused(true);
        model.enqueue(capture(1, "POST", "/"));
        model.flushPending();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.pendingCount(), 1);
        model.setPaused(false);
        QTRY_COMPARE(model.rowCount(), 1);
    }

    void annotationsUpdateOnlyTheirRows()
    {
        CaptureListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        for (qint64 id = 1; id <= 100; ++id)
            model.enqueue(capture(id, "POST", "/"));
        model.flushPending();
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.applyAnnotations({verdict(10, Capture::Verdict::Verified, QStringLiteral("verified")),
                                verdict(11, Capture::Verdict::Invalid, QStringLiteral("invalid")),
                                verdict(50, Capture::Verdict::KeyUnknown, QStringLiteral("key-unknown"))});
        QCOMPARE(changed.size(), 2); // rows 9-10 as one range, row 49
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 9);
        QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 10);
        QCOMPARE(changed.at(1).at(0).toModelIndex().row(), 49);
        QCOMPARE(model.index(10, 0).data(CaptureListModel::VerdictRole).toInt(), int(Capture::Verdict::Invalid));
        QCOMPARE(model.index(49, CaptureListModel::Signature).data().toString(), QStringLiteral("Key unknown"));
        QCOMPARE(model.index(49, CaptureListModel::Signature).data(Qt::ToolTipRole).toString(), QStringLiteral("Signature: key-unknown"));
        QCOMPARE(model.index(9, CaptureListModel::Event).data().toString(), QStringLiteral("invoice.paid"));
        QCOMPARE(model.failedCount(), 1);

        // verified before its row was flushed: applied when the row arrives
        model.enqueue(capture(101, "POST", "/late"));
        model.applyAnnotations({verdict(101, Capture::Verdict::Verified, QStringLiteral("verified"))});
        model.flushPending();
        QCOMPARE(model.index(100, 0).data(CaptureListModel::VerdictRole).toInt(), int(Capture::Verdict::Verified));
    }

    void removesById()
    {
        CaptureListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        for (qint64 id = 1; id <= 10; ++id)
            model.enqueue(capture(id, "POST", "/"));
        model.flushPending();
        model.removeIds({2, 3, 7});
        QCOMPARE(model.rowCount(), 7);
        QCOMPARE(model.rowOfId(4), 1);
        QCOMPARE(model.rowOfId(3), -1);
        model.removeIds({});
        QCOMPARE(model.rowCount(), 0);
    }

    void proxyFiltersOffThreadAndKeepsSelection()
    {
        CaptureListModel model;
        CaptureFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        for (qint64 id = 1; id <= 1000; ++id)
            model.enqueue(capture(id, id % 2 ? "POST" : "GET", "/hooks/" + QByteArray::number(id), id % 3 ? QStringLiteral("main") : QStringLiteral("aux")));
        model.flushPending();
        QCOMPARE(proxy.rowCount(), 1000);

        // select capture 501 (a POST), then filter: the selection follows it to its new row
        QItemSelectionModel selection(&proxy);
        selection.setCurrentIndex(proxy.index(500, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QSignalSpy applied(&proxy, &CaptureFilterProxy::filterApplied);
        proxy.setFilter(filter(QStringLiteral("method:POST")));
        QTRY_COMPARE(applied.size(), 1);
        QCOMPARE(proxy.rowCount(), 500);
        QCOMPARE(selection.currentIndex().data(CaptureListModel::IdRole).toLongLong(), 501);
        QCOMPARE(selection.currentIndex().row(), 250);

        // live rows are filtered as they arrive
        model.enqueue(capture(1001, "POST", "/new"));
        model.enqueue(capture(1002, "GET", "/new"));
        model.flushPending();
        QCOMPARE(proxy.rowCount(), 501);
        QCOMPARE(proxy.index(500, 0).data(CaptureListModel::IdRole).toLongLong(), 1001);

        // a verdict arriving moves a row in or out of a verdict filter
        proxy.setFilter(filter(QStringLiteral("verdict:invalid")));
        QTRY_COMPARE(applied.size(), 2);
        QCOMPARE(proxy.rowCount(), 0);
        model.applyAnnotations({verdict(7, Capture::Verdict::Invalid, QStringLiteral("invalid"))});
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.rowOfId(7), 0);

        // sorted by path descending, then removal of source rows keeps the mapping right
        proxy.setFilter(filter(QStringLiteral("endpoint:aux")));
        QTRY_COMPARE(applied.size(), 3);
        const int aux = proxy.rowCount();
        QCOMPARE(aux, 333); // ids 3, 6, ... 999
        proxy.sort(CaptureListModel::Path, Qt::DescendingOrder);
        QTRY_COMPARE(applied.size(), 4);
        QCOMPARE(proxy.index(0, CaptureListModel::Path).data().toString(), QStringLiteral("/hooks/999"));
        model.removeIds({999, 996, 3});
        QCOMPARE(proxy.rowCount(), aux - 3);
        QCOMPARE(proxy.index(0, CaptureListModel::Path).data().toString(), QStringLiteral("/hooks/993"));
        for (int row = 0; row < proxy.rowCount(); ++row)
            QCOMPARE(proxy.index(row, CaptureListModel::Endpoint).data().toString(), QStringLiteral("aux"));
    }

    void proxyResolvesBodyTermsAgainstTheStore()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("captures.db"));
        auto store = Capture::Store::open(path);
        QVERIFY(store.has_value());
        CaptureListModel model;
        QObject::connect(store->get(), &Capture::Store::captureStored, &model, &CaptureListModel::enqueue, Qt::QueuedConnection);
        const auto send = [&](const QByteArray &body) {
            auto c = std::make_shared<Http::CapturedRequest>();
            c->raw = "POST /x HTTP/1.1\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
            c->method = "POST";
            c->target = "/x";
            c->firstByteAt = c->lastByteAt = QDateTime::currentDateTimeUtc();
            (*store)->append(c);
        };
        send("{\"coupon\":\"HALF\"}");
        send("{\"plain\":true}");
        (*store)->flush();
        QTRY_COMPARE(model.rowCount(), 2);

        CaptureFilterProxy proxy;
        proxy.setSourceModel(&model);
        proxy.setStorePath(path);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy applied(&proxy, &CaptureFilterProxy::filterApplied);
        proxy.setFilter(filter(QStringLiteral("body:\"coupon\"")));
        QTRY_COMPARE(applied.size(), 1);
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, 0).data(CaptureListModel::IdRole).toLongLong(), 1);

        send("another coupon");
        send("nothing");
        (*store)->flush();
        QTRY_COMPARE(model.rowCount(), 4);
        QTRY_COMPARE(proxy.rowCount(), 2); // the new rows are checked against the store too
        QCOMPARE(proxy.index(1, 0).data(CaptureListModel::IdRole).toLongLong(), 3);
        (*store)->close();
    }
};

QTEST_MAIN(TestCaptureListModel)
#include "tst_capturelistmodel.moc"
