#pragma once

#include "capture/capturesummary.h"
#include "http/capturedrequest.h"

#include <QList>
#include <QString>

#include <expected>
#include <memory>
#include <optional>

namespace Capture {

class SqliteStatement;

/// A stored capture with what verification and decoding added.
struct StoredCapture
{
    Http::CapturedRequest request;
    Annotation annotation;
    bool pinned = false;
    QString comment;
};

/// Reads a capture store on its own connection (any thread may own one; WAL lets it read
/// while the writer commits).
class StoreReader final
{
public:
    static std::expected<StoreReader, QString> open(const QString &path);
    StoreReader(StoreReader &&other) noexcept;
    StoreReader &operator=(StoreReader &&other) noexcept;
    ~StoreReader();

    qint64 count() const;
    /// All capture ids in arrival order.
    QList<qint64> ids() const;
    /// Summaries with id > afterId in id order, at most limit of them.
    QList<CaptureSummary> summaries(qint64 afterId, int limit) const;
    /// The whole capture, parsed again from its raw bytes; nullopt when there is no such id.
    std::optional<StoredCapture> load(qint64 id) const;
    /// The requests with ids from firstId to lastId, in id order, without what analysis added
    /// (analysis reading back its backlog): one read for all of them. An id that is not there
    /// is left out. Empty with error set when the read fails.
    QList<Http::CapturedRequest> loadRequests(qint64 firstId, qint64 lastId, QString *error = nullptr) const;

private:
    explicit StoreReader(const QString &connectionName);
    QString m_connectionName;
    // The request columns and then tail, prepared on first use (loads come one after another).
    SqliteStatement *prepared(std::unique_ptr<SqliteStatement> &statement, const QByteArray &tail,
                              QString *error = nullptr) const;
    mutable std::unique_ptr<SqliteStatement> m_load;
    mutable std::unique_ptr<SqliteStatement> m_loadRequests;
};

/// Rebuilds the parsed views of a capture from its raw bytes (used when loading and importing).
Http::CapturedRequest parseRaw(const QByteArray &raw);

} // namespace Capture
