// The listener's analysis queue: commit order, and captures past the in-memory limit read back
// from a real store file.
#include "capture/store.h"
#include "capture/storereader.h"
#include "cli/analysisqueue.h"

#include <QElapsedTimer>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <mutex>

class TestAnalysisQueue : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsBackWhatItDoesNotHold();
    void boundsWhatWaitsForItsTurn();
    void oneThreadWhileCapturesArrive();
    void aTrickleIsAnalysedAtOnce();
    void aBurstIsAnalysedOnceItEnds();
    void aBurstThatGoesOnIsAnalysedAlongsideAfterAWhile();
    void aFastStreamItKeepsUpWithIsAnalysedAsItComes();
};

void TestAnalysisQueue::readsBackWhatItDoesNotHold()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("c.sqlite"));
    auto store = Capture::Store::open(path);
    QVERIFY(store.has_value());
    QList<Capture::CapturePtr> captures;
    QObject::connect(store->get(), &Capture::Store::captureStored, store->get(),
                     [&captures](const Capture::CapturePtr &capture) { captures.append(capture); }, Qt::DirectConnection);
    constexpr int count = 40;
    constexpr int middle = 20;
    for (int i = 0; i < count; ++i) {
        auto capture = std::make_shared<Http::CapturedRequest>(Capture::parseRaw(
            "POST /" + QByteArray::number(i) + " HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n" + QByteArray::number(100 + i)));
        capture->firstByteAt = QDateTime::currentDateTimeUtc();
        (*store)->append(capture);
    }
    (*store)->flush();
    QCOMPARE(captures.size(), count);

    QList<qint64> finished;
    QList<QByteArray> bodies;
    int missing = 0;
    std::atomic<int> running{0};
    bool overlapped = false;
    QList<qsizetype> afterRuns; // how many had finished at each AfterRun
    std::mutex gate; // held until everything is queued, so the queue is full when work starts
    gate.lock();
    {
        // Three threads analyse in any order; what they return runs in commit order.
        Cli::AnalysisQueue queue(path, 3, 5, [&](const Capture::CapturePtr &capture) -> Cli::AnalysisQueue::Then {
            { std::lock_guard wait(gate); }
            if (!capture)
                return [&] { ++missing; finished.append(0); };
            if (capture->id == captures.at(middle)->id)
                qFatal("a removed capture was read back");
            const QByteArray body = capture->bodyView().toByteArray();
            if (body.endsWith('1'))
                QThread::msleep(5); // a slow one: later ones finish first and wait
            return [&, capture, body] {
                overlapped = running.fetch_add(1) != 0 || overlapped;
                finished.append(capture->id);
                bodies.append(body);
                QThread::usleep(200); // long enough for the others to hand theirs over meanwhile
                running.fetch_sub(1);
            };
        }, [&] { afterRuns.append(finished.size()); });
        // The last one and one in the middle (read back in a run of several) are deleted before
        // their turn: they come as null, and their turn still comes.
        (*store)->remove({captures.at(middle)->id, captures.constLast()->id});
        (*store)->flush();
        for (const Capture::CapturePtr &capture : std::as_const(captures))
            queue.push(capture);
        gate.unlock();
        queue.waitForDone();
    }
    QCOMPARE(finished.size(), count);
    for (int i = 0; i < count - 1; ++i)
        QCOMPARE(finished.at(i), i == middle ? 0 : captures.at(i)->id);
    QCOMPARE(finished.constLast(), 0);
    QCOMPARE(missing, 2);
    QCOMPARE(bodies.size(), count - 2);
    for (int i = 0, b = 0; i < count - 1; ++i) {
        if (i != middle)
            QCOMPARE(bodies.at(b++), QByteArray::number(100 + i)); // the first 5 held, the rest read back
    }
    // One at a time, and after the last of them the AfterRun came.
    QVERIFY(!overlapped);
    QVERIFY(!afterRuns.isEmpty());
    QCOMPARE(afterRuns.constLast(), count);
}

void TestAnalysisQueue::boundsWhatWaitsForItsTurn()
{
    // The first capture's analysis is held up: the other threads go on only until
    // maxInFlight captures wait for their ordered step, then wait themselves.
    constexpr int count = int(Cli::AnalysisQueue::maxInFlight) * 2;
    std::atomic<int> started{0};
    std::atomic<bool> release{false};
    QList<qint64> finished;
    {
        const auto releaseOnFailure = qScopeGuard([&release] { release = true; });
        Cli::AnalysisQueue queue(QString(), 3, count, [&](const Capture::CapturePtr &capture) -> Cli::AnalysisQueue::Then {
            ++started;
            if (capture->id == 1) {
                while (!release)
                    QThread::msleep(1);
            }
            return [&finished, capture] { finished.append(capture->id); };
        });
        for (int i = 1; i <= count; ++i) {
            auto capture = std::make_shared<Http::CapturedRequest>();
            capture->id = i;
            queue.push(capture);
        }
        // The first thread took capture 1 in a run of up to 32: the rest of its run is in
        // flight but not started.
        QTRY_VERIFY(started.load() >= int(Cli::AnalysisQueue::maxInFlight) - 31);
        QTest::qWait(100);
        const int reached = started.load();
        QVERIFY2(reached <= int(Cli::AnalysisQueue::maxInFlight), qPrintable(QString::number(reached)));
        QTest::qWait(100);
        QCOMPARE(started.load(), reached); // and no further
        QVERIFY(finished.isEmpty());
        release = true;
        queue.waitForDone();
    }
    QCOMPARE(started.load(), count);
    QCOMPARE(finished.size(), count);
    for (int i = 0; i < count; ++i)
        QCOMPARE(finished.at(i), i + 1);
}

void TestAnalysisQueue::oneThreadWhileCapturesArrive()
{
    // While captures keep coming (closer together than the arrival gap, 500 ms here so that a
    // busy test machine cannot open one), one thread analyses; once they stop, all of them drain
    // what is left.
    std::atomic<int> active{0};
    std::atomic<int> mostWhileArriving{0};
    std::atomic<int> mostAfter{0};
    std::atomic<bool> arriving{true};
    QList<qint64> finished;
    {
        Cli::AnalysisQueue queue(QString(), 3, 1000, [&](const Capture::CapturePtr &capture) -> Cli::AnalysisQueue::Then {
            const int now = ++active;
            std::atomic<int> &most = arriving ? mostWhileArriving : mostAfter;
            for (int seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
            }
            QThread::msleep(10);
            --active;
            return [&finished, capture] { finished.append(capture->id); };
        }, {}, std::chrono::milliseconds(500));
        qint64 id = 0;
        QElapsedTimer arrival;
        arrival.start();
        while (arrival.elapsed() < 300) { // about 150 captures, analysed at about 100 a second
            auto capture = std::make_shared<Http::CapturedRequest>();
            capture->id = ++id;
            queue.push(capture);
            QThread::msleep(2);
        }
        arriving = false;
        QThread::msleep(20); // whatever the one thread took last has ended
        mostAfter = 0;
        queue.waitForDone();
        QCOMPARE(finished.size(), int(id));
    }
    QCOMPARE(mostWhileArriving.load(), 1);
    QCOMPARE(mostAfter.load(), 3);
}

namespace {

// Pushes count captures, perRound at a time with a pause after each round, and returns the
// longest any of them waited (ms) before its analysis began.
qint64 slowestWait(int count, int perRound, std::chrono::microseconds pause, std::chrono::milliseconds arrivalGap)
{
    QElapsedTimer clock;
    clock.start();
    std::mutex mutex;
    QHash<qint64, qint64> pushedAt;
    qint64 slowest = 0;
    Cli::AnalysisQueue queue(QString(), 3, size_t(count), [&](const Capture::CapturePtr &capture) -> Cli::AnalysisQueue::Then {
        std::lock_guard lock(mutex);
        slowest = qMax(slowest, clock.elapsed() - pushedAt.value(capture->id));
        return {};
    }, {}, arrivalGap);
    for (qint64 id = 1; id <= count; ++id) {
        auto capture = std::make_shared<Http::CapturedRequest>();
        capture->id = id;
        {
            std::lock_guard lock(mutex);
            pushedAt.insert(id, clock.elapsed());
        }
        queue.push(capture);
        if (id % perRound == 0)
            QThread::usleep(pause.count());
    }
    queue.waitForDone();
    std::lock_guard lock(mutex);
    return slowest;
}

} // namespace

void TestAnalysisQueue::aTrickleIsAnalysedAtOnce()
{
    // Captures now and then, closer together than the arrival gap: each is taken as it comes
    // by the first thread, not left for a helper that waits for the gap.
    const qint64 slowest = slowestWait(12, 1, std::chrono::milliseconds(60), std::chrono::milliseconds(1000));
    QVERIFY2(slowest < 500, qPrintable(QString::number(slowest)));
}

namespace {

struct Burst
{
    QList<qint64> analysedAt; // ms from the start of the burst, one per analysis begun
    qint64 end = 0;           // when the last capture was pushed
    bool allInOrder = false;  // every ordered step ran, in commit order
};

// Thousands of captures a second for 600 ms, analysed at most a thousand a second while they
// arrive.
Burst burst(std::chrono::milliseconds longestDeferral)
{
    Burst result;
    QElapsedTimer clock;
    clock.start();
    std::mutex mutex;
    QList<qint64> finished;
    std::atomic<bool> arriving{true};
    Cli::AnalysisQueue queue(QString(), 3, 1000000, [&](const Capture::CapturePtr &capture) -> Cli::AnalysisQueue::Then {
        {
            std::lock_guard lock(mutex);
            result.analysedAt.append(clock.elapsed());
        }
        if (arriving)
            QThread::usleep(1000);
        return [&finished, capture] { finished.append(capture->id); };
    }, {}, Cli::AnalysisQueue::defaultArrivalGap, longestDeferral);
    qint64 id = 0;
    while (clock.elapsed() < 600) { // about 50 captures a millisecond
        for (int i = 0; i < 50; ++i) {
            auto capture = std::make_shared<Http::CapturedRequest>();
            capture->id = ++id;
            queue.push(capture);
        }
        QThread::usleep(1000);
    }
    result.end = clock.elapsed();
    arriving = false;
    queue.waitForDone();
    result.allInOrder = finished.size() == id;
    for (int i = 0; result.allInOrder && i < finished.size(); ++i)
        result.allInOrder = finished.at(i) == i + 1;
    return result;
}

qint64 analysedBetween(const Burst &burst, qint64 from, qint64 to)
{
    return std::count_if(burst.analysedAt.cbegin(), burst.analysedAt.cend(),
                         [from, to](qint64 at) { return at >= from && at < to; });
}

} // namespace

void TestAnalysisQueue::aBurstIsAnalysedOnceItEnds()
{
    // Once the first window of arrivals has ended (100 ms; its rate is not known before) and
    // analysis is behind, none is analysed until the burst is over, then all of them are.
    const Burst result = burst(Cli::AnalysisQueue::defaultLongestDeferral);
    QVERIFY(result.allInOrder);
    QVERIFY(result.analysedAt.size() > 10000); // all of them
    // The last run of 32 taken before the second window began ends by about 135 ms.
    QCOMPARE(analysedBetween(result, 250, result.end), 0);
}

void TestAnalysisQueue::aBurstThatGoesOnIsAnalysedAlongsideAfterAWhile()
{
    // Left for its end at most 150 ms: by 400 ms analysis has resumed while captures arrive.
    const Burst result = burst(std::chrono::milliseconds(150));
    QVERIFY(result.allInOrder);
    QVERIFY(result.analysedAt.size() > 10000); // all of them
    QVERIFY(analysedBetween(result, 400, result.end) > 0);
}

void TestAnalysisQueue::aFastStreamItKeepsUpWithIsAnalysedAsItComes()
{
    // 5,000 captures a second for half a second that one thread analyses easily: each within a
    // few milliseconds (runs of 32 or 2 ms), none left for the end of the stream.
    const qint64 slowest = slowestWait(2500, 5, std::chrono::milliseconds(1), Cli::AnalysisQueue::defaultArrivalGap);
    QVERIFY2(slowest < 150, qPrintable(QString::number(slowest)));
}

QTEST_GUILESS_MAIN(TestAnalysisQueue)
#include "tst_analysisqueue.moc"
