#pragma once

#include <QString>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

struct sqlite3;

namespace Capture {

/// Copies the store's write-ahead log back into the database on a thread and connection of its
/// own, so that the writer's commits (and the answers waiting for them) never wait for a
/// checkpoint and its fsyncs. The writer reports the WAL's length after each commit; when the
/// log keeps growing because commits never pause, the thread stands aside and the writer
/// checkpoints once itself, between two transactions, so that the next one starts the log over.
class Checkpointer final
{
public:
    /// longLogFrames: a log this long was never fully copied back because the writer never
    /// paused; the writer then checkpoints between two transactions itself.
    Checkpointer(const QString &path, int longLogFrames);
    ~Checkpointer();

    /// Installs the commit hook on the writer's connection (replaces SQLite's autocheckpoint).
    void attach(sqlite3 *writer);
    /// On the writer thread, between transactions: true when the writer should checkpoint now.
    bool writerShouldCheckpoint() const { return m_writerShouldCheckpoint; }
    /// On the writer thread: a passive checkpoint on the writer's connection.
    void checkpointOnWriter(sqlite3 *writer);

private:
    static int walHook(void *self, sqlite3 *database, const char *name, int frames);
    void run();

    QString m_path;
    int m_longLogFrames;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_wanted = false;
    int m_framesAtWake = 0; // the log's length when the writer last woke the thread (writer only)
    bool m_stopping = false;
    // Set by the writer when the log is too long; the thread then leaves the checkpoint to it.
    std::atomic<bool> m_writerShouldCheckpoint = false;
    std::thread m_thread;
};

} // namespace Capture
