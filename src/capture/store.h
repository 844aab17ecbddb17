#pragma once

#include "capture/capturesummary.h"
#include "http/capturedrequest.h"

#include <QObject>

#include <condition_variable>
#include <deque>
#include <expected>
#include <functional>
#include <memory>
#include <mutex>

class QThread;

namespace Capture {

using CapturePtr = std::shared_ptr<const Http::CapturedRequest>;

/// The durable capture store: an SQLite database (WAL) written by one writer thread that
/// commits whatever has queued up in one transaction (group commit). A capture's completion
/// callback runs only after its transaction committed, so the listener can acknowledge it.
/// The writer thread runs an event loop: a listener may serve its connections there, so that
/// the captures of one round of socket events are committed together, and answered, without
/// crossing a thread.
class Store final : public QObject
{
    Q_OBJECT
public:
    enum class Sync { Normal, Full };
    struct Options
    {
        // NORMAL in WAL mode survives the process being killed at any point (the WAL is
        // written before commit returns); FULL also fsyncs each group commit, for power loss.
        Sync sync = Sync::Normal;
        // Copy the WAL back on a thread of its own, so commits never wait for a checkpoint
        // (listen: better p99 under load). Off, SQLite checkpoints inside a commit every 4 MiB;
        // the window keeps that: with the thread, its event loop stalled twice as long (90 ms
        // at 5,000 captures/s in hookscope_guibench).
        bool checkpointThread = false;
        // With the checkpoint thread: a log of this many pages (64 MiB) is ended by the writer
        // itself, between two transactions, because under sustained writing the thread never
        // copies it all back and it would grow without end.
        int longLogPages = 16000;
    };
    /// Runs on the writer thread once the capture is committed (id > 0) or failed (id == 0).
    /// It must be cheap: post to the caller's own thread.
    using Done = std::function<void(qint64 id, const QString &error)>;

    static std::expected<std::unique_ptr<Store>, QString> open(const QString &path, Options options);
    static std::expected<std::unique_ptr<Store>, QString> open(const QString &path)
    {
        return open(path, Options{});
    }
    ~Store() override;

    QString path() const { return m_path; }

    /// Thread-safe: queues a capture for the next group commit.
    void append(std::shared_ptr<Http::CapturedRequest> capture, Done done = {});
    /// Thread-safe: stores what verification / decoding found. Nobody waits for it, so it is
    /// committed with the next captures, or once enough wait, or at most 20 ms later. Off the
    /// writer thread it waits while maxQueuedAnnotations are queued already.
    void annotate(Annotation annotation);
    /// Annotations queued before annotate() waits for the writer. Unbounded, this was the one
    /// queue that could grow while the writer was held up and analysis drained its backlog:
    /// after wrk runs with stalls of 0.2-1.8 s (their p99), listen kept 95-217 MiB instead of
    /// 56 (not caught in the act; the bound is checked by tst_store).
    static constexpr size_t maxQueuedAnnotations = 1024;
    /// Thread-safe: pin state and comment (the GUI).
    void setPinned(qint64 id, bool pinned);
    void setComment(qint64 id, const QString &comment);
    /// Thread-safe: deletes captures (empty list: all).
    void remove(const QList<qint64> &ids);

    /// Blocks until everything queued so far is committed.
    void flush();
    /// Commits what is queued and stops the writer thread.
    void close();

    /// Statistics for benchmarks and the status bar.
    qint64 committedCount() const;

    /// The thread that commits (and calls the completion callbacks); it runs an event loop.
    QThread *writerThread() const { return m_thread; }

Q_SIGNALS:
    /// Emitted from the writer thread after each commit, once per capture, in commit order.
    void captureStored(Capture::CapturePtr capture);
    /// Emitted from the writer thread after a group commit that stored captures, after their
    /// captureStored signals.
    void committed();
    /// Emitted from the writer thread after annotations were committed.
    void annotated(const QList<Capture::Annotation> &annotations);
    void removed(const QList<qint64> &ids);
    /// A write failed: the database is unusable (disk full, file removed...).
    void writeFailed(const QString &error);

private:
    struct Job;
    struct Writer;
    explicit Store(const QString &path, Options options);
    bool enqueue(Job job);
    void commitQueued();
    void commit(std::deque<Job> &batch);

    QString m_path;
    Options m_options;
    QThread *m_thread = nullptr;
    QObject *m_context = nullptr; // lives on the writer thread: commits are posted to it
    std::unique_ptr<Writer> m_writer;
    mutable std::mutex m_mutex;
    std::condition_variable m_drained;
    std::deque<Job> m_queue;
    bool m_commitScheduled = false;
    bool m_delayedCommitArmed = false; // annotations only: see annotationGroup
    int m_waitingAnnotations = 0;
    size_t m_queuedAnnotations = 0; // bounded by maxQueuedAnnotations, off the writer thread
    quint64 m_enqueued = 0;
    quint64 m_done = 0;
    qint64 m_committed = 0;
    bool m_stopping = false;
};

} // namespace Capture

Q_DECLARE_METATYPE(Capture::CapturePtr)
