#include "cli/analysisqueue.h"

#include "capture/storereader.h"

#include <QLoggingCategory>

#include <optional>

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

Q_DECLARE_LOGGING_CATEGORY(lcAnalysis)

namespace Cli {

namespace {

// Captures read back from the store per query: one read transaction and one walk down the
// tables for all of them (one at a time, the read cost as much as verifying).
constexpr size_t readBackBatch = 32;
// The first thread takes captures held in memory in runs of this many, waiting up to
// gatherDelay for a run to fill: woken for every capture, it switched context 1.15 times per
// capture and spent half its time doing so (wrk -c16, 30k captures/s, 30 us of CPU each).
constexpr size_t gatherTarget = 32;
constexpr std::chrono::milliseconds gatherDelay{2};
// While captures arrive faster than fastArrivals per rateWindow and behindBy of them already
// wait, analysis is behind the burst anyway (their --json lines are late whatever it does):
// then even the first thread waits for the burst to end. Analysing alongside the burst took
// half a core from the listener and the writer (wrk -c16 on two cores: 32k answers/s at p99
// 4.8 ms with it, 46k at p99 2.0 ms without). A stream that one thread keeps up with, however
// fast, is analysed as it comes.
constexpr std::chrono::milliseconds rateWindow{100};
constexpr size_t fastArrivals = 200; // 2,000 captures a second
constexpr size_t behindBy = 1024;

} // namespace

AnalysisQueue::AnalysisQueue(const QString &storePath, int threads, size_t heldInMemory, Work work, AfterRun afterRun,
                             std::chrono::milliseconds arrivalGap, std::chrono::milliseconds longestDeferral)
    : m_storePath(storePath)
    , m_heldInMemory(heldInMemory)
    , m_work(std::move(work))
    , m_afterRun(std::move(afterRun))
    , m_arrivalGap(arrivalGap)
    , m_longestDeferral(longestDeferral)
{
    for (int i = 0; i < qMax(1, threads); ++i)
        m_threads.emplace_back([this, helper = i > 0] { run(helper); });
}

AnalysisQueue::~AnalysisQueue()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_helperWake.notify_all();
    m_quietWake.notify_all();
    for (std::thread &thread : m_threads)
        thread.join();
}

void AnalysisQueue::push(const Capture::CapturePtr &capture)
{
    size_t queued = 0;
    {
        std::lock_guard lock(m_mutex);
        const auto now = std::chrono::steady_clock::now();
        m_lastPush = now;
        if (now - m_windowStart >= rateWindow) {
            // The rate of the window just ended; a window with no capture at all is a pause.
            m_arrivingFast = m_windowCount >= fastArrivals && now - m_windowStart < 2 * rateWindow;
            m_windowStart = now;
            m_windowCount = 0;
        }
        ++m_windowCount;
        Item item{m_nextSequence++, capture->id, {}};
        if (m_held < m_heldInMemory) {
            item.capture = capture;
            ++m_held;
        }
        m_items.push_back(std::move(item));
        queued = m_items.size();
    }
    // The first thread (only it waits there) wakes for the first capture, then gathers a run:
    // woken again only when the run is full.
    if (queued == 1 || queued == gatherTarget)
        m_wake.notify_one();
    if (queued == 1)
        m_helperWake.notify_all(); // they join once captures stop arriving
}

void AnalysisQueue::waitForDone()
{
    std::unique_lock lock(m_mutex);
    m_idle.wait(lock, [this] { return m_items.empty() && m_busy == 0; });
}

void AnalysisQueue::run(bool helper)
{
    // Analysis yields to the listener and the writer: a burst is acknowledged at full speed and
    // analysed as CPU frees up (Linux nice is per thread). Nice 19, not 10: the writer waited
    // up to 18 ms for a CPU behind analysis threads at 10 (perf sched), and 16 connections
    // were acknowledged 15% faster at 19. Not SCHED_IDLE: an analysis thread holding a lock
    // the writer needs (malloc's, the queue's) could then wait for a CPU for 100 ms and more.
    ::setpriority(PRIO_PROCESS, pid_t(::gettid()), 19);
    ::pthread_setname_np(::pthread_self(), "analysis");
    std::optional<Capture::StoreReader> reader;
    std::vector<Item> batch;
    for (;;) {
        batch.clear();
        {
            std::unique_lock lock(m_mutex);
            const auto ready = [this] { return (!m_items.empty() && m_inFlight < maxInFlight) || m_stopping; };
            for (;;) {
                (helper ? m_helperWake : m_wake).wait(lock, ready);
                if (m_stopping || m_items.empty())
                    break;
                // The helpers only once captures stop arriving, the first thread also while
                // it keeps up with them; it then takes them as they come.
                const auto now = std::chrono::steady_clock::now();
                const auto quietFrom = m_lastPush + m_arrivalGap;
                const bool quiet = now >= quietFrom;
                const bool defer = !helper && leavesForBurstEnd(now, quiet);
                if (quiet)
                    break;
                if (!helper && !defer) {
                    if (m_items.size() < gatherTarget && m_inFlight < maxInFlight) {
                        m_wake.wait_for(lock, gatherDelay, [this] {
                            return m_items.size() >= gatherTarget || m_inFlight >= maxInFlight || m_stopping;
                        });
                    }
                    break;
                }
                // Not woken by further captures (they woke the helpers twice for every three);
                // the first thread looks again at the rate once a window.
                m_quietWake.wait_until(lock, helper ? quietFrom : std::min(quietFrom, now + rateWindow),
                                       [this] { return m_stopping; });
            }
            if (m_items.empty())
                break;
            // A run of captures held in memory, or a run of id-only ones, read back from the
            // store in one query; the helpers (the backlog is theirs too) take one in memory at
            // a time.
            const bool inMemory = bool(m_items.front().capture);
            const size_t room = m_inFlight < maxInFlight ? maxInFlight - m_inFlight : 1; // 1: stopping
            const size_t most = inMemory ? (helper ? 1 : std::min(gatherTarget, room)) : readBackBatch;
            do {
                batch.push_back(std::move(m_items.front()));
                m_items.pop_front();
            } while (batch.size() < most && !m_items.empty() && bool(m_items.front().capture) == inMemory);
            if (inMemory)
                m_held -= batch.size();
            ++m_busy;
            m_inFlight += batch.size();
        }
        if (!batch.front().capture) {
            if (!reader) {
                auto opened = Capture::StoreReader::open(m_storePath);
                if (opened)
                    reader.emplace(std::move(*opened));
                else
                    qCWarning(lcAnalysis) << "cannot read captures back for analysis:" << opened.error();
            }
            if (reader) {
                QString error;
                QList<Http::CapturedRequest> loaded = reader->loadRequests(batch.front().id, batch.back().id, &error);
                if (!error.isEmpty())
                    qCWarning(lcAnalysis) << "cannot read captures back for analysis:" << error;
                auto next = loaded.begin();
                for (Item &item : batch) {
                    while (next != loaded.end() && next->id < item.id)
                        ++next;
                    if (next != loaded.end() && next->id == item.id)
                        item.capture = std::make_shared<const Http::CapturedRequest>(std::move(*next));
                }
            }
        }
        for (Item &item : batch) {
            Then then = m_work(item.capture);
            item.capture.reset();
            runInOrder(item.sequence, std::move(then));
        }
        std::lock_guard lock(m_mutex);
        --m_busy;
        if (m_items.empty() && m_busy == 0)
            m_idle.notify_all();
    }
}

bool AnalysisQueue::leavesForBurstEnd(std::chrono::steady_clock::time_point now, bool quiet)
{
    if (quiet || !m_arrivingFast || m_items.size() < behindBy)
        m_deferringSince.reset();
    else if (!m_deferringSince)
        m_deferringSince = now;
    return m_deferringSince && now - *m_deferringSince < m_longestDeferral;
}

void AnalysisQueue::runInOrder(quint64 sequence, Then then)
{
    {
        std::lock_guard order(m_orderMutex);
        m_finished.emplace(sequence, std::move(then));
        if (m_running)
            return; // the running thread takes it when its turn comes
        m_running = true;
    }
    // This thread runs every Then that is ready, one at a time and outside the lock: the other
    // threads hand theirs over and go on analysing instead of waiting for the lock.
    size_t ran = 0;
    for (;;) {
        Then next;
        {
            std::lock_guard order(m_orderMutex);
            if (m_finished.empty() || m_finished.begin()->first != m_nextInOrder) {
                m_running = false;
                break;
            }
            next = std::move(m_finished.begin()->second);
            m_finished.erase(m_finished.begin());
            ++m_nextInOrder;
        }
        if (next)
            next();
        next = nullptr; // what it held goes before the next one runs
        ++ran;
    }
    if (ran == 0)
        return;
    if (m_afterRun)
        m_afterRun();
    {
        std::lock_guard lock(m_mutex);
        m_inFlight -= ran;
    }
    m_wake.notify_all();
    m_helperWake.notify_all();
}

} // namespace Cli
