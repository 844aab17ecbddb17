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

} // namespace

AnalysisQueue::AnalysisQueue(const QString &storePath, int threads, size_t heldInMemory, Work work, AfterRun afterRun,
                             std::chrono::milliseconds arrivalGap)
    : m_storePath(storePath)
    , m_heldInMemory(heldInMemory)
    , m_work(std::move(work))
    , m_afterRun(std::move(afterRun))
    , m_arrivalGap(arrivalGap)
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
    for (std::thread &thread : m_threads)
        thread.join();
}

void AnalysisQueue::push(const Capture::CapturePtr &capture)
{
    bool wasEmpty = false;
    {
        std::lock_guard lock(m_mutex);
        m_lastPush = std::chrono::steady_clock::now();
        wasEmpty = m_items.empty();
        Item item{m_nextSequence++, capture->id, {}};
        if (m_held < m_heldInMemory) {
            item.capture = capture;
            ++m_held;
        }
        m_items.push_back(std::move(item));
    }
    m_wake.notify_one(); // the first thread: only it waits there
    if (wasEmpty)
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
            if (!helper) {
                m_wake.wait(lock, ready);
            } else {
                for (;;) {
                    m_helperWake.wait(lock, ready);
                    if (m_stopping || m_items.empty())
                        break;
                    // Only once captures stop arriving (or the queue is being drained).
                    const auto quietFrom = m_lastPush + m_arrivalGap;
                    if (std::chrono::steady_clock::now() >= quietFrom)
                        break;
                    m_helperWake.wait_until(lock, quietFrom);
                }
            }
            if (m_items.empty())
                break;
            // Captures held in memory one at a time; a run of id-only ones together, read back
            // from the store in one query.
            do {
                batch.push_back(std::move(m_items.front()));
                m_items.pop_front();
            } while (!batch.front().capture && batch.size() < readBackBatch && !m_items.empty()
                     && !m_items.front().capture);
            if (batch.front().capture)
                --m_held;
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
