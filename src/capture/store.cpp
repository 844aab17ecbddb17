#include "capture/store.h"

#include "capture/checkpointer.h"
#include "capture/schema.h"
#include "capture/sqlitestatement.h"
#include "capture/storeddocument.h"

#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QTimer>
#include <QUuid>

#include <optional>

#include <sqlite3.h>

Q_LOGGING_CATEGORY(lcStore, "hookscope.capture", QtInfoMsg)

namespace Capture {

struct Store::Job
{
    enum class Kind { Append, Annotate, Pin, Comment, Remove };
    Kind kind = Kind::Append;
    std::shared_ptr<Http::CapturedRequest> capture;
    Done done;
    Annotation annotation;
    // The annotation's documents as stored, packed on the annotating thread, not the writer's.
    QByteArray verification;
    QByteArray event;
    bool verificationIsBlob = false;
    bool eventIsBlob = false;
    QList<qint64> ids;
    QString text;
    bool flag = false;
};

namespace {

// Bound the size of one transaction so the first request of a burst is not kept waiting
// behind thousands of later ones.
constexpr size_t maxBatch = 4096;

// Annotations wait for company: alone, each would be a transaction of its own, writing the
// same pages again and again (measured: 100 µs of writer and checkpoint time per annotation
// while listen analysed a backlog, against 25 µs in groups). Nobody waits on them: they go with
// the next capture commit, once this many wait, or after this delay.
constexpr int annotationGroup = 128;
constexpr int annotationDelayMs = 20;

qint64 toMs(const QDateTime &time)
{
    return time.isValid() ? time.toMSecsSinceEpoch() : QDateTime::currentMSecsSinceEpoch();
}

void bindDocument(SqliteStatement &statement, int index, const QByteArray &stored, bool isBlob)
{
    if (isBlob)
        statement.bindBlob(index, stored);
    else
        statement.bindUtf8(index, stored);
}

} // namespace

// What the writer thread owns: its database connection and prepared statements.
struct Store::Writer
{
    QString connectionName;
    sqlite3 *handle = nullptr;
    SqliteStatement begin;
    SqliteStatement commit;
    SqliteStatement rollback;
    SqliteStatement insertCapture;
    SqliteStatement insertRaw;
    SqliteStatement updateAnnotation;
    SqliteStatement writeAnalysis;
    std::optional<QSqlQuery> misc; // the rare ones: pins, comments, removals
    std::unique_ptr<Checkpointer> checkpointer;

    QSqlDatabase database() const { return QSqlDatabase::database(connectionName, false); }
};

std::expected<std::unique_ptr<Store>, QString> Store::open(const QString &path, Options options)
{
    qRegisterMetaType<Capture::CapturePtr>();
    qRegisterMetaType<QList<Capture::Annotation>>();
    qRegisterMetaType<QList<qint64>>();
    std::unique_ptr<Store> store(new Store(path, options));
    store->m_thread = new QThread;
    store->m_thread->setObjectName(QStringLiteral("capture-writer"));
    store->m_context = new QObject;
    store->m_context->moveToThread(store->m_thread);
    QObject::connect(store->m_thread, &QThread::finished, store->m_context, &QObject::deleteLater);
    store->m_thread->start();

    QString error;
    Store *raw = store.get();
    QMetaObject::invokeMethod(store->m_context, [raw, &error] {
        auto writer = std::make_unique<Writer>();
        writer->connectionName = QStringLiteral("hookscope-writer-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
        error = openDatabase(raw->m_path, writer->connectionName, false, raw->m_options.sync == Sync::Full);
        if (!error.isEmpty()) {
            QSqlDatabase::removeDatabase(writer->connectionName);
            return;
        }
        const QSqlDatabase db = writer->database();
        sqlite3 *handle = sqliteHandle(db);
        writer->handle = handle;
        const struct { SqliteStatement *statement; const char *sql; } statements[] = {
            {&writer->begin, "BEGIN"},
            {&writer->commit, "COMMIT"},
            {&writer->rollback, "ROLLBACK"},
            {&writer->insertCapture,
             "INSERT INTO captures (received_at, last_byte_at, endpoint, method, target, body_size,"
             " response_status, reject_status, reject_code, reject_reason, reject_offset,"
             " remote_address, remote_port, local_address, local_port, tls_protocol, tls_cipher,"
             " imported, verdict) VALUES (?, ?, COALESCE(?, ''), COALESCE(?, ''), COALESCE(?, ''), ?, ?, ?,"
             " COALESCE(?, ''), COALESCE(?, ''), ?, COALESCE(?, ''), ?, COALESCE(?, ''), ?,"
             " COALESCE(?, ''), COALESCE(?, ''), ?, ?)"},
            {&writer->insertRaw, "INSERT INTO capture_raw (id, raw) VALUES (?, ?)"},
            {&writer->updateAnnotation,
             "UPDATE captures SET verdict = ?, digest_status = COALESCE(?, ''), signature_status = COALESCE(?, ''),"
             " problem_codes = COALESCE(?, ''), event_type = COALESCE(?, ''), event_summary = COALESCE(?, '')"
             " WHERE id = ?"},
            {&writer->writeAnalysis, "INSERT OR REPLACE INTO capture_analysis (id, verification, event) VALUES (?, ?, ?)"},
        };
        for (const auto &[statement, sql] : statements) {
            if (error.isEmpty())
                error = statement->prepare(handle, sql);
        }
        if (!error.isEmpty()) {
            error = QStringLiteral("cannot prepare the capture store: %1").arg(error);
            const QString name = writer->connectionName;
            writer.reset();
            QSqlDatabase::removeDatabase(name);
            return;
        }
        writer->misc.emplace(db);
        if (raw->m_options.checkpointThread) {
            writer->checkpointer = std::make_unique<Checkpointer>(raw->m_path, raw->m_options.longLogPages);
            writer->checkpointer->attach(handle);
        }
        raw->m_writer = std::move(writer);
    }, Qt::BlockingQueuedConnection);
    if (!error.isEmpty()) {
        store->m_thread->quit();
        store->m_thread->wait();
        return std::unexpected(error);
    }
    return store;
}

Store::Store(const QString &path, Options options)
    : m_path(path)
    , m_options(options)
{
}

Store::~Store()
{
    close();
    delete m_thread;
}

bool Store::enqueue(Job job)
{
    {
        std::lock_guard lock(m_mutex);
        // Once closing, nothing more is accepted: the writer may already have stopped.
        if (m_stopping)
            return false;
        const bool annotation = job.kind == Job::Kind::Annotate;
        if (annotation)
            ++m_queuedAnnotations;
        m_queue.push_back(std::move(job));
        ++m_enqueued;
        if (m_commitScheduled)
            return true;
        if (annotation && ++m_waitingAnnotations < annotationGroup) {
            if (!m_delayedCommitArmed) {
                m_delayedCommitArmed = true;
                QMetaObject::invokeMethod(m_context, [this] {
                    QTimer::singleShot(annotationDelayMs, m_context, [this] {
                        {
                            std::lock_guard lock(m_mutex);
                            m_delayedCommitArmed = false;
                            if (m_commitScheduled)
                                return; // a commit is on its way anyway
                        }
                        commitQueued();
                    });
                }, Qt::QueuedConnection);
            }
            return true;
        }
        m_commitScheduled = true;
        // Posted, so it runs once the writer thread has handled the socket events of this round
        // (when a listener lives there) or at once (when it waits idle): that is the group.
        // Posted under the lock: close() cannot retire the writer thread in between.
        QMetaObject::invokeMethod(m_context, [this] { commitQueued(); }, Qt::QueuedConnection);
    }
    return true;
}

void Store::append(std::shared_ptr<Http::CapturedRequest> capture, Done done)
{
    Job job;
    job.kind = Job::Kind::Append;
    job.capture = std::move(capture);
    job.done = done;
    if (!enqueue(std::move(job)) && done)
        done(0, QStringLiteral("the capture store is closed"));
}

void Store::annotate(Annotation annotation)
{
    Job job;
    job.kind = Job::Kind::Annotate;
    job.verification = StoredDocument::pack(annotation.verificationJson, &job.verificationIsBlob);
    job.event = StoredDocument::pack(annotation.eventJson, &job.eventIsBlob);
    job.annotation = std::move(annotation);
    if (QThread::currentThread() != m_thread) {
        std::unique_lock lock(m_mutex);
        m_drained.wait(lock, [this] { return m_queuedAnnotations < maxQueuedAnnotations || m_stopping; });
    }
    enqueue(std::move(job));
}

void Store::setPinned(qint64 id, bool pinned)
{
    Job job;
    job.kind = Job::Kind::Pin;
    job.ids = {id};
    job.flag = pinned;
    enqueue(std::move(job));
}

void Store::setComment(qint64 id, const QString &comment)
{
    Job job;
    job.kind = Job::Kind::Comment;
    job.ids = {id};
    job.text = comment;
    enqueue(std::move(job));
}

void Store::remove(const QList<qint64> &ids)
{
    Job job;
    job.kind = Job::Kind::Remove;
    job.ids = ids;
    enqueue(std::move(job));
}

void Store::flush()
{
    if (QThread::currentThread() == m_thread) {
        // On the writer thread itself (a listener's connection): commit now.
        commitQueued();
        return;
    }
    std::unique_lock lock(m_mutex);
    const quint64 target = m_enqueued;
    m_drained.wait(lock, [this, target] { return m_done >= target; });
}

void Store::close()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping || !m_thread)
            return;
        m_stopping = true;
    }
    if (m_thread->isRunning()) {
        // Whatever is queued is committed first; then the connection closes on its own thread.
        QMetaObject::invokeMethod(m_context, [this] {
            commitQueued();
            if (m_writer) {
                // Statements first: SQLite does not close a connection that still has some.
                const QString name = m_writer->connectionName;
                m_writer.reset();
                QSqlDatabase::database(name, false).close();
                QSqlDatabase::removeDatabase(name);
            }
            std::lock_guard lock(m_mutex);
            m_done = m_enqueued;
            m_drained.notify_all();
        }, QThread::currentThread() == m_thread ? Qt::DirectConnection : Qt::BlockingQueuedConnection);
        m_thread->quit();
        if (QThread::currentThread() != m_thread)
            m_thread->wait();
    }
}

qint64 Store::committedCount() const
{
    std::lock_guard lock(m_mutex);
    return m_committed;
}

void Store::commitQueued()
{
    for (;;) {
        std::deque<Job> batch;
        {
            std::lock_guard lock(m_mutex);
            m_commitScheduled = false;
            m_waitingAnnotations = 0;
            if (m_queue.empty())
                return;
            const size_t take = std::min(m_queue.size(), maxBatch);
            for (size_t i = 0; i < take; ++i) {
                if (m_queue.front().kind == Job::Kind::Annotate)
                    --m_queuedAnnotations; // annotate() is told after the commit (m_drained)
                batch.push_back(std::move(m_queue.front()));
                m_queue.pop_front();
            }
            if (!m_queue.empty() && !m_stopping) {
                // More than one batch waiting: let socket events in between.
                m_commitScheduled = true;
                QMetaObject::invokeMethod(m_context, [this] { commitQueued(); }, Qt::QueuedConnection);
            }
        }
        commit(batch);
        std::lock_guard lock(m_mutex);
        if (!m_stopping || m_queue.empty())
            return;
    }
}

void Store::commit(std::deque<Job> &batch)
{
    if (!m_writer) {
        for (Job &job : batch) {
            if (job.kind == Job::Kind::Append && job.done)
                job.done(0, QStringLiteral("the capture store is closed"));
        }
        std::lock_guard lock(m_mutex);
        m_done += batch.size();
        m_drained.notify_all();
        return;
    }
    Writer &w = *m_writer;
    QSqlQuery &misc = *w.misc;

    QString error;
    if (!w.begin.step())
        error = w.begin.error();
    QList<Annotation> annotations;
    QList<qint64> removedIds;
    bool removedAll = false;
    for (Job &job : batch) {
        if (!error.isEmpty())
            break;
        switch (job.kind) {
        case Job::Kind::Append: {
            Http::CapturedRequest &c = *job.capture;
            SqliteStatement &insert = w.insertCapture;
            insert.bind(1, toMs(c.firstByteAt));
            insert.bind(2, toMs(c.lastByteAt));
            insert.bind(3, c.endpoint);
            insert.bindLatin1(4, c.method);
            insert.bindLatin1(5, c.target);
            insert.bind(6, qint64(c.bodyView().size()));
            insert.bind(7, qint64(c.responseStatus));
            insert.bind(8, qint64(c.rejection.status));
            insert.bind(9, c.rejection.code);
            insert.bind(10, c.rejection.reason);
            insert.bind(11, qint64(c.rejection.offset));
            insert.bind(12, c.remoteAddress);
            insert.bind(13, qint64(c.remotePort));
            insert.bind(14, c.localAddress);
            insert.bind(15, qint64(c.localPort));
            insert.bind(16, c.tlsProtocol);
            insert.bind(17, c.tlsCipher);
            insert.bind(18, qint64(c.imported ? 1 : 0));
            insert.bind(19, qint64(c.isRejected() ? Verdict::Rejected : Verdict::Pending));
            if (!insert.step()) {
                error = insert.error();
                break;
            }
            c.id = sqlite3_last_insert_rowid(w.handle);
            w.insertRaw.bind(1, c.id);
            w.insertRaw.bindBlob(2, c.raw);
            if (!w.insertRaw.step())
                error = w.insertRaw.error();
            break;
        }
        case Job::Kind::Annotate: {
            const Annotation &a = job.annotation;
            SqliteStatement &update = w.updateAnnotation;
            const QString codes = a.problemCodes.join(QLatin1Char(','));
            update.bind(1, qint64(a.verdict));
            update.bind(2, a.digestStatus);
            update.bind(3, a.signatureStatus);
            update.bind(4, codes);
            update.bind(5, a.eventType);
            update.bind(6, a.eventSummary);
            update.bind(7, a.id);
            SqliteStatement &analysis = w.writeAnalysis;
            analysis.bind(1, a.id);
            bindDocument(analysis, 2, job.verification, job.verificationIsBlob);
            bindDocument(analysis, 3, job.event, job.eventIsBlob);
            if (!update.step())
                error = update.error();
            else if (sqlite3_changes(w.handle) > 0 && !analysis.step()) // not for a capture removed meanwhile
                error = analysis.error();
            else
                annotations.append(a);
            break;
        }
        case Job::Kind::Pin:
        case Job::Kind::Comment:
            misc.prepare(job.kind == Job::Kind::Pin
                             ? QStringLiteral("UPDATE captures SET pinned = ? WHERE id = ?")
                             : QStringLiteral("UPDATE captures SET comment = COALESCE(?, '') WHERE id = ?"));
            misc.addBindValue(job.kind == Job::Kind::Pin ? QVariant(job.flag ? 1 : 0)
                                                           : QVariant(job.text));
            misc.addBindValue(job.ids.value(0));
            if (!misc.exec())
                error = misc.lastError().text();
            break;
        case Job::Kind::Remove:
            if (job.ids.isEmpty()) {
                removedAll = true;
                if (!misc.exec(QStringLiteral("DELETE FROM captures")) || !misc.exec(QStringLiteral("DELETE FROM capture_raw"))
                    || !misc.exec(QStringLiteral("DELETE FROM capture_analysis")))
                    error = misc.lastError().text();
            } else {
                for (qint64 id : std::as_const(job.ids)) {
                    misc.prepare(QStringLiteral("DELETE FROM captures WHERE id = ?"));
                    misc.addBindValue(id);
                    misc.exec();
                    misc.prepare(QStringLiteral("DELETE FROM capture_analysis WHERE id = ?"));
                    misc.addBindValue(id);
                    misc.exec();
                    misc.prepare(QStringLiteral("DELETE FROM capture_raw WHERE id = ?"));
                    misc.addBindValue(id);
                    if (!misc.exec())
                        error = misc.lastError().text();
                }
                removedIds.append(job.ids);
            }
            break;
        }
    }
    if (error.isEmpty() && !w.commit.step())
        error = w.commit.error();
    if (!error.isEmpty()) {
        w.rollback.step();
        qCWarning(lcStore) << "capture store write failed:" << error;
    }

    qint64 appended = 0;
    for (Job &job : batch) {
        if (job.kind != Job::Kind::Append)
            continue;
        if (!error.isEmpty()) {
            job.capture->id = 0;
            if (job.done)
                job.done(0, error);
            continue;
        }
        ++appended;
        if (job.done)
            job.done(job.capture->id, QString());
        Q_EMIT captureStored(std::move(job.capture));
    }
    if (appended > 0)
        Q_EMIT committed();
    if (w.checkpointer && w.checkpointer->writerShouldCheckpoint())
        w.checkpointer->checkpointOnWriter(w.handle);
    if (!error.isEmpty())
        Q_EMIT writeFailed(error);
    if (!annotations.isEmpty())
        Q_EMIT annotated(annotations);
    if (removedAll || !removedIds.isEmpty())
        Q_EMIT removed(removedAll ? QList<qint64>() : removedIds);

    const size_t finished = batch.size();
    batch.clear();
    std::lock_guard lock(m_mutex);
    m_done += finished;
    m_committed += appended;
    m_drained.notify_all();
}

} // namespace Capture
