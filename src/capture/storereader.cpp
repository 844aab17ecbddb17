#include "capture/storereader.h"

#include "capture/schema.h"
#include "capture/sqlitestatement.h"
#include "http/requestparser.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

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

std::optional<StoredCapture> StoreReader::load(qint64 id) const
{
    if (!m_load) {
        m_load = std::make_unique<QSqlQuery>(QSqlDatabase::database(m_connectionName));
        m_load->setForwardOnly(true);
        m_load->prepare(QStringLiteral(
        "SELECT c.received_at, c.last_byte_at, c.endpoint, c.response_status, c.reject_status,"
        " c.reject_code, c.reject_reason, c.reject_offset, c.remote_address, c.remote_port,"
        " c.local_address, c.local_port, c.tls_protocol, c.tls_cipher, c.imported, c.verdict,"
        " c.digest_status, c.signature_status, c.problem_codes, a.verification, c.event_type,"
        " c.event_summary, a.event, c.pinned, c.comment, r.raw"
        " FROM captures c JOIN capture_raw r ON r.id = c.id LEFT JOIN capture_analysis a ON a.id = c.id WHERE c.id = ?"));
    }
    QSqlQuery &query = *m_load;
    query.bindValue(0, id);
    if (!query.exec() || !query.next()) {
        query.finish();
        return std::nullopt;
    }

    StoredCapture stored;
    Http::CapturedRequest &r = stored.request;
    r = parseRaw(query.value(25).toByteArray());
    r.id = id;
    r.firstByteAt = QDateTime::fromMSecsSinceEpoch(query.value(0).toLongLong(), Qt::UTC);
    r.lastByteAt = QDateTime::fromMSecsSinceEpoch(query.value(1).toLongLong(), Qt::UTC);
    r.endpoint = query.value(2).toString();
    r.responseStatus = query.value(3).toInt();
    r.rejection = {};
    r.rejection.status = query.value(4).toInt();
    r.rejection.code = query.value(5).toString();
    r.rejection.reason = query.value(6).toString();
    r.rejection.offset = query.value(7).toLongLong();
    r.remoteAddress = query.value(8).toString();
    r.remotePort = quint16(query.value(9).toInt());
    r.localAddress = query.value(10).toString();
    r.localPort = quint16(query.value(11).toInt());
    r.tlsProtocol = query.value(12).toString();
    r.tlsCipher = query.value(13).toString();
    r.imported = query.value(14).toBool();

    Annotation &a = stored.annotation;
    a.id = id;
    a.verdict = Verdict(query.value(15).toInt());
    a.digestStatus = query.value(16).toString();
    a.signatureStatus = query.value(17).toString();
    a.problemCodes = query.value(18).toString().split(QLatin1Char(','), Qt::SkipEmptyParts);
    a.verificationJson = query.value(19).toString().toUtf8();
    a.eventType = query.value(20).toString();
    a.eventSummary = query.value(21).toString();
    a.eventJson = query.value(22).toString().toUtf8();
    stored.pinned = query.value(23).toBool();
    stored.comment = query.value(24).toString();
    query.finish(); // ends the read transaction, so checkpoints are not held back
    return stored;
}

QList<Http::CapturedRequest> StoreReader::loadRequests(qint64 firstId, qint64 lastId, QString *error) const
{
    QList<Http::CapturedRequest> result;
    if (!m_loadRequests) {
        // On SQLite's own handle: Qt SQL's per-value conversions cost as much as the read.
        m_loadRequests = std::make_unique<SqliteStatement>();
        const QString prepared = m_loadRequests->prepare(sqliteHandle(QSqlDatabase::database(m_connectionName)),
            "SELECT c.id, c.received_at, c.last_byte_at, c.endpoint, c.response_status, c.reject_status,"
            " c.reject_code, c.reject_reason, c.reject_offset, c.remote_address, c.remote_port,"
            " c.local_address, c.local_port, c.tls_protocol, c.tls_cipher, c.imported, r.raw"
            " FROM captures c JOIN capture_raw r ON r.id = c.id WHERE c.id BETWEEN ? AND ? ORDER BY c.id");
        if (!prepared.isEmpty()) {
            m_loadRequests.reset();
            if (error)
                *error = prepared;
            return result;
        }
    }
    SqliteStatement &query = *m_loadRequests;
    query.bind(1, firstId);
    query.bind(2, lastId);
    while (query.next()) {
        Http::CapturedRequest r = parseRaw(query.columnBytes(16));
        r.id = query.columnInt(0);
        r.firstByteAt = QDateTime::fromMSecsSinceEpoch(query.columnInt(1), Qt::UTC);
        r.lastByteAt = QDateTime::fromMSecsSinceEpoch(query.columnInt(2), Qt::UTC);
        r.endpoint = query.columnText(3);
        r.responseStatus = int(query.columnInt(4));
        r.rejection = {};
        r.rejection.status = int(query.columnInt(5));
        r.rejection.code = query.columnText(6);
        r.rejection.reason = query.columnText(7);
        r.rejection.offset = query.columnInt(8);
        r.remoteAddress = query.columnText(9);
        r.remotePort = quint16(query.columnInt(10));
        r.localAddress = query.columnText(11);
        r.localPort = quint16(query.columnInt(12));
        r.tlsProtocol = query.columnText(13);
        r.tlsCipher = query.columnText(14);
        r.imported = query.columnInt(15) != 0;
        result.append(std::move(r));
    }
    if (!query.error().isEmpty()) {
        result.clear();
        if (error)
            *error = query.error();
    }
    query.finish(); // ends the read transaction, so checkpoints are not held back
    return result;
}

} // namespace Capture
