#pragma once

#include "capture/store.h"

#include <QString>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace Cli {

/// Captures waiting for verification and decoding, taken in commit order by a few threads that
/// yield to the listener (nice 19). The first few thousand wait in memory; beyond that only
/// their ids wait and the captures are read back from the store when their turn comes (a run
/// of them in one query), so a burst faster than analysis costs disk, not memory.
///
/// While captures keep arriving one thread analyses, taking them in runs; the others join once
/// none has arrived for the arrival gap. On two cores, two analysis threads took the capture
/// path's CPU even at nice 19 or SCHED_IDLE (the writer and its clients wait for each other, and
/// analysis filled every gap): wrk -c16 got 17-20k answers/s at p99 6-35 ms with both, 19-20k at
/// p99 3.2-4.1 ms with one. When a burst (over 2,000 captures a second) outruns that thread too
/// (a thousand captures waiting), it also waits for the gap: every capture is acknowledged and
/// stored at once, and its verdict follows when the burst ends, the backlog drained on every
/// core; a burst that goes on for a minute is analysed alongside from then on. What one thread
/// keeps up with is analysed as it comes.
class AnalysisQueue final
{
public:
    /// Runs on the analysis threads in parallel; capture is null when it was deleted before its
    /// turn. What it returns then runs in commit order, one at a time (the lifecycle timeline,
    /// storing, printing).
    using Then = std::function<void()>;
    using Work = std::function<Then(const Capture::CapturePtr &capture)>;
    /// Runs after each run of Thens, once none is ready (to flush what they printed).
    using AfterRun = std::function<void()>;

    /// Captures taken but whose ordered step has not run yet. A thread the scheduler leaves
    /// aside (analysis runs at nice 19) holds back the ordered steps of everything after its
    /// capture; without a bound the others went on, and their waiting results took 100 MiB
    /// within seconds. At 512, one drain in four after a wrk burst still left listen at 87-144
    /// MiB instead of 56 (tcmalloc keeps what a peak took: 35 MiB free in its page heap); at
    /// 128, nine in nine stayed at 56-58 MiB, draining at about the same rate (verify bench:
    /// 13.8k/s against 14.1-16.5k/s at 512).
    static constexpr size_t maxInFlight = 128;
    /// How long after the last capture arrived the second and further threads join in.
    static constexpr std::chrono::milliseconds defaultArrivalGap{20};
    /// How long the first thread leaves a burst it is behind for its end at most: a load that
    /// never pauses is analysed alongside after that, its backlog (and its ids in memory)
    /// growing only by what analysis does not keep up with.
    static constexpr std::chrono::milliseconds defaultLongestDeferral{60000};

    AnalysisQueue(const QString &storePath, int threads, size_t heldInMemory, Work work, AfterRun afterRun = {},
                  std::chrono::milliseconds arrivalGap = defaultArrivalGap,
                  std::chrono::milliseconds longestDeferral = defaultLongestDeferral);
    ~AnalysisQueue();

    /// Queues a committed capture (call in commit order).
    void push(const Capture::CapturePtr &capture);
    /// Blocks until everything pushed so far has been analysed.
    void waitForDone();

private:
    struct Item
    {
        quint64 sequence = 0;
        qint64 id = 0;
        Capture::CapturePtr capture; // null once only the id is kept
    };
    void run(bool helper);
    /// The first thread, m_mutex held: whether to leave a burst it is behind for its end (for
    /// m_longestDeferral at most).
    bool leavesForBurstEnd(std::chrono::steady_clock::time_point now, bool quiet);
    void runInOrder(quint64 sequence, Then then);

    QString m_storePath;
    size_t m_heldInMemory;
    Work m_work;
    AfterRun m_afterRun;
    std::mutex m_mutex;
    std::condition_variable m_wake;       // the first thread waits here
    std::condition_variable m_helperWake; // the others
    std::condition_variable m_quietWake;  // waiting for captures to stop arriving
    std::condition_variable m_idle;
    std::deque<Item> m_items;
    size_t m_held = 0;
    quint64 m_nextSequence = 0;
    int m_busy = 0;
    size_t m_inFlight = 0; // taken, ordered step not run yet: bounded (maxInFlight)
    bool m_stopping = false;
    std::chrono::milliseconds m_arrivalGap;
    std::chrono::steady_clock::time_point m_lastPush; // helpers wait for m_arrivalGap after it
    std::chrono::steady_clock::time_point m_windowStart; // the arrival rate, counted per window
    size_t m_windowCount = 0;
    bool m_arrivingFast = false; // over 2,000 a second in the last window
    std::chrono::milliseconds m_longestDeferral;
    std::optional<std::chrono::steady_clock::time_point> m_deferringSince; // the first thread's
    std::mutex m_orderMutex;
    std::map<quint64, Then> m_finished; // analysed, waiting for an earlier one or for the runner
    quint64 m_nextInOrder = 0;
    bool m_running = false; // a thread is running Thens; the others leave theirs to it
    std::vector<std::thread> m_threads;
};

} // namespace Cli
