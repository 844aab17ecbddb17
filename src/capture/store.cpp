#include "capture/store.h"

#include "capture/schema.h"

#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QUuid>

Q_LOGGING_CATEGORY(lcStore, "hookscope.capture")

namespace Capture {

struct Store::Job
{
    enum class Kind { Append, Annotate, Pin, Comment, Remove };
    Kind kind = Kind::Append;
    std::shared_ptr<Http::CapturedRequest> capture;
    Done done;
    Annotation annotation;
    QList<qint64> ids;
    QString text;
    bool flag = false;
};

namespace {

// Bound the size of one transaction so the first request of a burst is not kept waiting
// behind thousands of later ones.
constexpr size_t maxBatch = 4096;

qint64 toMs(const QDateTime &time)
{
    return time.isValid() ? time.toMSecsSinceEpoch() : QDateTime::currentMSecsSinceEpoch();
}

} // namespace

std::expected<std::unique_ptr<Store>, QString> Store::open(const QString &path, Options options)
{
    qRegisterMetaType<Capture::CapturePtr>();
    qRegisterMetaType<QList<Capture::Annotation>>();
    qRegisterMetaType<QList<qint64>>();
    std::unique_ptr<Store> store(new Store(path, options));
    const QString connectionName = QStringLiteral("hookscope-writer-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    Store *raw = store.get();
    store->m_thread = QThread::create([raw, connectionName] { raw->writerLoop(connectionName); });
    store->m_thread->setObjectName(QStringLiteral("capture-writer"));
    store->m_thread->start();
    std::unique_lock lock(store->m_mutex);
    store->m_drained.wait(lock, [raw] { return raw->m_opened; });
    if (!store->m_openError.isEmpty()) {
        const QString error = store->m_openError;
        lock.unlock();
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
        m_queue.push_back(std::move(job));
        ++m_enqueued;
    }
    m_wake.notify_one();
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
    job.annotation = std::move(annotation);
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
    std::unique_lock lock(m_mutex);
    const quint64 target = m_enqueued;
    m_drained.wait(lock, [this, target] { return m_done >= target || !m_thread->isRunning(); });
}

void Store::close()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping)
            return;
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread)
        m_thread->wait();
}

qint64 Store::committedCount() const
{
    std::lock_guard lock(m_mutex);
    return m_committed;
}

void Store::writerLoop(const QString &connectionName)
{
    {
        const QString error = openDatabase(m_path, connectionName, false, m_options.sync == Sync::Full);
        std::lock_guard lock(m_mutex);
        m_openError = error;
        m_opened = true;
        m_drained.notify_all();
        if (!error.isEmpty()) {
            QSqlDatabase::removeDatabase(connectionName);
            return;
        }
    }
    {
        QSqlDatabase db = QSqlDatabase::database(connectionName);
        QSqlQuery insertCapture(db);
        insertCapture.prepare(QStringLiteral(
            "INSERT INTO captures (received_at, last_byte_at, endpoint, method, target, body_size,"
            " response_status, reject_status, reject_code, reject_reason, reject_offset,"
            " remote_address, remote_port, local_address, local_port, tls_protocol, tls_cipher,"
            " imported, verdict) VALUES (?, ?, COALESCE(?, ''), COALESCE(?, ''), COALESCE(?, ''), ?, ?, ?,"
            " COALESCE(?, ''), COALESCE(?, ''), ?, COALESCE(?, ''), ?, COALESCE(?, ''), ?,"
            " COALESCE(?, ''), COALESCE(?, ''), ?, ?)"));
        QSqlQuery insertRaw(db);
        insertRaw.prepare(QStringLiteral("INSERT INTO capture_raw (id, raw) VALUES (?, ?)"));
        QSqlQuery updateAnnotation(db);
        updateAnnotation.prepare(QStringLiteral(
            "UPDATE captures SET verdict = ?, digest_status = COALESCE(?, ''), signature_status = COALESCE(?, ''),"
            " problem_codes = COALESCE(?, ''), verification = ?, event_type = COALESCE(?, ''),"
            " event_summary = COALESCE(?, ''), event = ?"
            " WHERE id = ?"));
        QSqlQuery misc(db);

        std::deque<Job> batch;
        for (;;) {
            {
                std::unique_lock lock(m_mutex);
                m_wake.wait(lock, [this] { return !m_queue.empty() || m_stopping; });
                if (m_queue.empty() && m_stopping)
                    break;
                const size_t take = std::min(m_queue.size(), maxBatch);
                for (size_t i = 0; i < take; ++i) {
                    batch.push_back(std::move(m_queue.front()));
                    m_queue.pop_front();
                }
            }

            QString error;
            if (!db.transaction())
                error = db.lastError().text();
            QList<Annotation> annotations;
            QList<qint64> removedIds;
            bool removedAll = false;
            for (Job &job : batch) {
                if (!error.isEmpty())
                    break;
                switch (job.kind) {
                case Job::Kind::Append: {
                    Http::CapturedRequest &c = *job.capture;
                    const qint64 bodySize = c.bodyView().size();
                    insertCapture.addBindValue(toMs(c.firstByteAt));
                    insertCapture.addBindValue(toMs(c.lastByteAt));
                    insertCapture.addBindValue(c.endpoint);
                    insertCapture.addBindValue(QString::fromLatin1(c.method));
                    insertCapture.addBindValue(QString::fromLatin1(c.target));
                    insertCapture.addBindValue(bodySize);
                    insertCapture.addBindValue(c.responseStatus);
                    insertCapture.addBindValue(c.rejection.status);
                    insertCapture.addBindValue(c.rejection.code);
                    insertCapture.addBindValue(c.rejection.reason);
                    insertCapture.addBindValue(c.rejection.offset);
                    insertCapture.addBindValue(c.remoteAddress);
                    insertCapture.addBindValue(c.remotePort);
                    insertCapture.addBindValue(c.localAddress);
                    insertCapture.addBindValue(c.localPort);
                    insertCapture.addBindValue(c.tlsProtocol);
                    insertCapture.addBindValue(c.tlsCipher);
                    insertCapture.addBindValue(c.imported ? 1 : 0);
                    insertCapture.addBindValue(int(c.isRejected() ? Verdict::Rejected : Verdict::Pending));
                    if (!insertCapture.exec()) {
                        error = insertCapture.lastError().text();
                        break;
                    }
                    c.id = insertCapture.lastInsertId().toLongLong();
                    insertRaw.addBindValue(c.id);
                    insertRaw.addBindValue(c.raw);
                    if (!insertRaw.exec())
                        error = insertRaw.lastError().text();
                    break;
                }
                case Job::Kind::Annotate: {
                    const Annotation &a = job.annotation;
                    updateAnnotation.addBindValue(int(a.verdict));
                    updateAnnotation.addBindValue(a.digestStatus);
                    updateAnnotation.addBindValue(a.signatureStatus);
                    updateAnnotation.addBindValue(a.problemCodes.join(QLatin1Char(',')));
                    updateAnnotation.addBindValue(QString::fromUtf8(a.verificationJson));
                    updateAnnotation.addBindValue(a.eventType);
                    updateAnnotation.addBindValue(a.eventSummary);
                    updateAnnotation.addBindValue(QString::fromUtf8(a.eventJson));
                    updateAnnotation.addBindValue(a.id);
                    if (!updateAnnotation.exec())
                        error = updateAnnotation.lastError().text();
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
                        if (!misc.exec(QStringLiteral("DELETE FROM captures")) || !misc.exec(QStringLiteral("DELETE FROM capture_raw")))
                            error = misc.lastError().text();
                    } else {
                        for (qint64 id : std::as_const(job.ids)) {
                            misc.prepare(QStringLiteral("DELETE FROM captures WHERE id = ?"));
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
            if (error.isEmpty() && !db.commit())
                error = db.lastError().text();
            if (!error.isEmpty()) {
                db.rollback();
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
        db.close();
    }
    QSqlDatabase::removeDatabase(connectionName);
    std::lock_guard lock(m_mutex);
    m_done = m_enqueued;
    m_drained.notify_all();
}

} // namespace Capture
