#include "capture/storereader.h"

#include "capture/schema.h"
#include "capture/sqlitestatement.h"
#include "capture/storeddocument.h"
#include "http/requestparser.h"

#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

Q_DECLARE_LOGGING_CATEGORY(lcStore)

namespace Capture {

std::expected<StoreReader, QString> StoreReader::open(const QString &path)
{
    const QString name = QStringLiteral("hookscope-reader-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString error = openDatabase(path, name, true);
    if (!error.isEmpty()) {
        QSqlDatabase::removeDatabase(name);
        return std::unexpected(error);
    }
    return StoreReader(name);
}

StoreReader::StoreReader(const QString &connectionName)
    : m_connectionName(connectionName)
{
}

StoreReader::StoreReader(StoreReader &&other) noexcept
    : m_connectionName(std::exchange(other.m_connectionName, QString()))
    , m_load(std::move(other.m_load))
    , m_loadRequests(std::move(other.m_loadRequests))
{
}

StoreReader &StoreReader::operator=(StoreReader &&other) noexcept
{
    std::swap(m_connectionName, other.m_connectionName);
    std::swap(m_load, other.m_load);
    std::swap(m_loadRequests, other.m_loadRequests);
    return *this;
}

StoreReader::~StoreReader()
{
    m_load.reset(); // before its connection goes
    m_loadRequests.reset();
    if (m_connectionName.isEmpty())
        return;
    QSqlDatabase::database(m_connectionName, false).close();
    QSqlDatabase::removeDatabase(m_connectionName);
}

qint64 StoreReader::count() const
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName));
    if (query.exec(QStringLiteral("SELECT COUNT(*) FROM captures")) && query.next())
        return query.value(0).toLongLong();
    return 0;
}

QList<qint64> StoreReader::ids() const
{
    QList<qint64> result;
    QSqlQuery query(QSqlDatabase::database(m_connectionName));
    query.setForwardOnly(true);
    if (query.exec(QStringLiteral("SELECT id FROM captures ORDER BY id"))) {
        while (query.next())
            result.append(query.value(0).toLongLong());
    }
    return result;
}

namespace {

quint8 statusIndex(const QString &status, std::initializer_list<const char *> names)
{
    quint8 index = 0;
    for (const char *name : names) {
        if (status == QLatin1StringView(name))
            return index;
        ++index;
    }
    return 0;
}

// A verdict or event document as JSON text; a damaged one reads as absent, with a warning.
QByteArray storedDocument(const SqliteStatement &query, int column, qint64 id)
{
    if (!query.columnIsBlob(column))
        return query.columnBytes(column); // text as written: no second copy
    QByteArray error;
    QByteArray json = StoredDocument::unpack(query.columnBytes(column), true, &error);
    if (!error.isEmpty())
        qCWarning(lcStore) << "capture" << id << ":" << error.constData();
    return json;
}

} // namespace

QList<CaptureSummary> StoreReader::summaries(qint64 afterId, int limit) const
{
    QList<CaptureSummary> result;
    QSqlQuery query(QSqlDatabase::database(m_connectionName));
    query.setForwardOnly(true);
    query.prepare(QStringLiteral(
        "SELECT id, received_at, body_size, method, target, endpoint, event_type, response_status,"
        " verdict, digest_status, signature_status, pinned FROM captures WHERE id > ? ORDER BY id LIMIT ?"));
    query.addBindValue(afterId);
    query.addBindValue(limit);
    if (!query.exec())
        return result;
    while (query.next()) {
        CaptureSummary s;
        s.id = query.value(0).toLongLong();
        s.receivedAtMs = query.value(1).toLongLong();
        s.bodySize = query.value(2).toLongLong();
        s.method = query.value(3).toString().toLatin1();
        s.path = query.value(4).toString().toLatin1();
        s.endpoint = query.value(5).toString();
        s.eventType = query.value(6).toString();
        s.responseStatus = quint16(query.value(7).toInt());
        s.verdict = Verdict(query.value(8).toInt());
        s.digestStatus = statusIndex(query.value(9).toString(), {"", "valid", "mismatch", "absent", "malformed", "unsupported"});
        s.signatureStatus = statusIndex(query.value(10).toString(), {"", "verified", "invalid", "absent", "malformed", "key-unknown", "unsupported"});
        s.pinned = query.value(11).toBool();
        result.append(s);
    }
    return result;
}

Http::CapturedRequest parseRaw(const QByteArray &raw)
{
    // Stored limits were enforced when the bytes arrived; re-parsing must not reject them again.
    Http::ParserLimits limits;
    limits.maxBody = std::numeric_limits<qint64>::max();
    limits.maxHeaderBytes = raw.size() + 1;
    limits.maxHeaderFields = std::numeric_limits<int>::max();
    limits.maxRequestLine = raw.size() + 1;
    Http::RequestParser parser(limits);
    parser.feed(raw);
    Http::CapturedRequest request = parser.takeRequest();
    request.raw = raw; // keep every byte, even those after a rejection point
    return request;
}

namespace {

// A capture's request columns, in the order readRequest() reads them; the queries add theirs after.
constexpr int requestColumnCount = 17;
constexpr const char *requestColumns =
    "c.id, c.received_at, c.last_byte_at, c.endpoint, c.response_status, c.reject_status,"
    " c.reject_code, c.reject_reason, c.reject_offset, c.remote_address, c.remote_port,"
    " c.local_address, c.local_port, c.tls_protocol, c.tls_cipher, c.imported, r.raw";

Http::CapturedRequest readRequest(const SqliteStatement &row)
{
    Http::CapturedRequest r = parseRaw(row.columnBytes(16));
    r.id = row.columnInt(0);
    r.firstByteAt = QDateTime::fromMSecsSinceEpoch(row.columnInt(1), Qt::UTC);
    r.lastByteAt = QDateTime::fromMSecsSinceEpoch(row.columnInt(2), Qt::UTC);
    r.endpoint = row.columnText(3);
    r.responseStatus = int(row.columnInt(4));
    r.rejection = {};
    r.rejection.status = int(row.columnInt(5));
    r.rejection.code = row.columnText(6);
    r.rejection.reason = row.columnText(7);
    r.rejection.offset = row.columnInt(8);
    r.remoteAddress = row.columnText(9);
    r.remotePort = quint16(row.columnInt(10));
    r.localAddress = row.columnText(11);
    r.localPort = quint16(row.columnInt(12));
    r.tlsProtocol = row.columnText(13);
    r.tlsCipher = row.columnText(14);
    r.imported = row.columnInt(15) != 0;
    return r;
}

} // namespace

SqliteStatement *StoreReader::prepared(std::unique_ptr<SqliteStatement> &statement, const QByteArray &tail,
                                       QString *error) const
{
    if (!statement) {
        // On SQLite's own handle: Qt SQL's per-value conversions cost as much as the read.
        auto made = std::make_unique<SqliteStatement>();
        const QByteArray sql = QByteArrayLiteral("SELECT ") + requestColumns + tail;
        const QString failed = made->prepare(sqliteHandle(QSqlDatabase::database(m_connectionName)), sql.constData());
        if (!failed.isEmpty()) {
            if (error)
                *error = failed;
            return nullptr;
        }
        statement = std::move(made);
    }
    return statement.get();
}

std::optional<StoredCapture> StoreReader::load(qint64 id) const
{
    SqliteStatement *query = prepared(m_load,
        ", c.verdict, c.digest_status, c.signature_status, c.problem_codes, a.verification, c.event_type,"
        " c.event_summary, a.event, c.pinned, c.comment"
        " FROM captures c JOIN capture_raw r ON r.id = c.id LEFT JOIN capture_analysis a ON a.id = c.id WHERE c.id = ?");
    if (!query)
        return std::nullopt;
    query->bind(1, id);
    if (!query->next()) {
        query->finish();
        return std::nullopt;
    }
    StoredCapture stored;
    stored.request = readRequest(*query);
    constexpr int at = requestColumnCount;
    Annotation &a = stored.annotation;
    a.id = id;
    a.verdict = Verdict(query->columnInt(at));
    a.digestStatus = query->columnText(at + 1);
    a.signatureStatus = query->columnText(at + 2);
    a.problemCodes = query->columnText(at + 3).split(QLatin1Char(','), Qt::SkipEmptyParts);
    a.verificationJson = storedDocument(*query, at + 4, id);
    a.eventType = query->columnText(at + 5);
    a.eventSummary = query->columnText(at + 6);
    a.eventJson = storedDocument(*query, at + 7, id);
    stored.pinned = query->columnInt(at + 8) != 0;
    stored.comment = query->columnText(at + 9);
    query->finish(); // ends the read transaction, so checkpoints are not held back
    return stored;
}

QList<Http::CapturedRequest> StoreReader::loadRequests(qint64 firstId, qint64 lastId, QString *error) const
{
    QList<Http::CapturedRequest> result;
    SqliteStatement *query = prepared(m_loadRequests,
        " FROM captures c JOIN capture_raw r ON r.id = c.id WHERE c.id BETWEEN ? AND ? ORDER BY c.id", error);
    if (!query)
        return result;
    query->bind(1, firstId);
    query->bind(2, lastId);
    while (query->next())
        result.append(readRequest(*query));
    if (!query->error().isEmpty()) {
        result.clear();
        if (error)
            *error = query->error();
    }
    query->finish(); // ends the read transaction, so checkpoints are not held back
    return result;
}

} // namespace Capture
