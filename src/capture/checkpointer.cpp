#include "capture/checkpointer.h"

#include <QElapsedTimer>
#include <QLoggingCategory>

#include <sqlite3.h>

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

Q_DECLARE_LOGGING_CATEGORY(lcStore)

namespace Capture {

namespace {

// The thread copies the log back every 256 new pages (1 MiB; SQLite's own autocheckpoint waits
// for 1,000), so that it is never far behind when the writer ends a log: what the writer then
// copies and syncs itself is what the answers wait for. Measured in the capture bench (wrk -c16,
// 1 KiB webhooks): 1,000 pages left the writer's checkpoints at 3-61 ms and wrk's p99 at 21 ms;
// 256 pages, with the sync below, 1-12 ms and 7-14 ms.
constexpr int checkpointFrames = 256;

} // namespace

Checkpointer::Checkpointer(const QString &path, int longLogFrames)
    : m_path(path)
    , m_longLogFrames(longLogFrames)
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
    if (frames >= checkpointer->m_longLogFrames) {
        // The thread's checkpoints never end the log while commits go on: a log is started
        // over only by a transaction that finds it all copied back. The thread starts no new
        // checkpoint (the one under way ends soon), so the writer gets the checkpoint lock.
        checkpointer->m_writerShouldCheckpoint = true;
    } else if (frames < checkpointer->m_framesAtWake) {
        checkpointer->m_framesAtWake = 0; // the log started over
    } else if (frames - checkpointer->m_framesAtWake >= checkpointFrames) {
        // Once per checkpointFrames new pages, not after every commit: each checkpoint costs
        // its syncs and a walk of the log's index, whatever it copies.
        checkpointer->m_framesAtWake = frames;
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
    QElapsedTimer timer;
    timer.start();
    int logFrames = 0;
    int copied = 0;
    const int result = sqlite3_wal_checkpoint_v2(writer, nullptr, SQLITE_CHECKPOINT_PASSIVE, &logFrames, &copied);
    if (result == SQLITE_BUSY)
        return; // the thread's last checkpoint is still running: again after the next commit
    m_writerShouldCheckpoint = false;
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
    // fdatasync flushes the file, whichever descriptor names it: SQLite's own stays private.
    const int databaseFile = database ? ::open(path.constData(), O_RDONLY | O_CLOEXEC) : -1;
    int lastBackfilled = 0;
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [this] { return m_wanted || m_stopping; });
        if (m_stopping)
            break;
        m_wanted = false;
        if (m_writerShouldCheckpoint)
            continue; // the writer ends this log itself
        lock.unlock();
        // PASSIVE: copies what no reader still needs, never waits for or blocks the writer.
        int backfilled = 0;
        if (database && sqlite3_wal_checkpoint_v2(database, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, &backfilled) != SQLITE_OK)
            qCDebug(lcStore) << "checkpoint:" << sqlite3_errmsg(database);
        // SQLite syncs the database file only in a checkpoint that reaches the end of the log,
        // which under sustained writing is the writer's: it then flushed every page copied
        // since the log began (fdatasync of up to 64 MiB, 20-200 ms with all answers waiting).
        // Synced here after each copy, the writer's sync finds little left to write.
        if (databaseFile >= 0 && backfilled != lastBackfilled)
            ::fdatasync(databaseFile);
        lastBackfilled = backfilled;
        lock.lock();
    }
    lock.unlock();
    if (databaseFile >= 0)
        ::close(databaseFile);
    sqlite3_close(database);
}

} // namespace Capture
