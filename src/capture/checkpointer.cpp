#include "capture/checkpointer.h"

#include <QElapsedTimer>
#include <QLoggingCategory>

#include <sqlite3.h>

#include <pthread.h>

Q_DECLARE_LOGGING_CATEGORY(lcStore)

namespace Capture {

namespace {

// SQLite's own autocheckpoint threshold (about 4 MiB of 4 KiB pages).
constexpr int checkpointFrames = 1000;
// A log this long was never fully copied back because the writer never paused: the writer
// checkpoints between two transactions, which lets the next one start the log again.
constexpr int writerCheckpointFrames = 16000;

} // namespace

Checkpointer::Checkpointer(const QString &path)
    : m_path(path)
    , m_thread([this] { run(); })
{
}

Checkpointer::~Checkpointer()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void Checkpointer::attach(sqlite3 *writer)
{
    sqlite3_wal_hook(writer, &Checkpointer::walHook, this);
}

int Checkpointer::walHook(void *self, sqlite3 *, const char *, int frames)
{
    auto *checkpointer = static_cast<Checkpointer *>(self);
    if (frames >= writerCheckpointFrames)
        checkpointer->m_writerShouldCheckpoint = true;
    if (frames >= checkpointFrames) {
        {
            std::lock_guard lock(checkpointer->m_mutex);
            checkpointer->m_wanted = true;
        }
        checkpointer->m_wake.notify_one();
    }
    return SQLITE_OK;
}

void Checkpointer::checkpointOnWriter(sqlite3 *writer)
{
    m_writerShouldCheckpoint = false;
    QElapsedTimer timer;
    timer.start();
    int logFrames = 0;
    int copied = 0;
    const int result = sqlite3_wal_checkpoint_v2(writer, nullptr, SQLITE_CHECKPOINT_PASSIVE, &logFrames, &copied);
    if (result == SQLITE_BUSY)
        return; // the checkpoint thread is at it: the writer tries again after a later commit
    if (result != SQLITE_OK)
        qCWarning(lcStore) << "checkpoint failed:" << sqlite3_errmsg(writer);
    qCDebug(lcStore) << "the writer checkpointed" << copied << "of" << logFrames << "log pages in"
                     << timer.nsecsElapsed() / 1000 << "us";
}

void Checkpointer::run()
{
    ::pthread_setname_np(::pthread_self(), "capture-ckpt");
    sqlite3 *database = nullptr;
    const QByteArray path = m_path.toUtf8();
    if (sqlite3_open_v2(path.constData(), &database, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
        qCWarning(lcStore) << "checkpoints run on the writer: cannot open" << m_path << sqlite3_errmsg(database);
        sqlite3_close(database);
        database = nullptr;
    }
    // A connection reads the database header (and finds the WAL) on its first statement.
    if (database && sqlite3_exec(database, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr) != SQLITE_OK) {
        qCWarning(lcStore) << "checkpoints run on the writer:" << sqlite3_errmsg(database);
        sqlite3_close(database);
        database = nullptr;
    }
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [this] { return m_wanted || m_stopping; });
        if (m_stopping)
            break;
        m_wanted = false;
        lock.unlock();
        // PASSIVE: copies what no reader still needs, never waits for or blocks the writer.
        if (database && sqlite3_wal_checkpoint_v2(database, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr) != SQLITE_OK)
            qCDebug(lcStore) << "checkpoint:" << sqlite3_errmsg(database);
        lock.lock();
    }
    lock.unlock();
    sqlite3_close(database);
}

} // namespace Capture
