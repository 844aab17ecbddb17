#include "capture/schema.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

namespace Capture {

namespace {

// Each entry takes the schema from version i to i + 1. Append only; never edit a shipped step.
const char *const migrations[] = {
    // 0 -> 1
    "CREATE TABLE captures ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " received_at INTEGER NOT NULL,"  // first byte, ms since the epoch (UTC)
    " last_byte_at INTEGER NOT NULL,"
    " endpoint TEXT NOT NULL DEFAULT '',"
    " method TEXT NOT NULL DEFAULT '',"
    " target TEXT NOT NULL DEFAULT '',"
    " body_size INTEGER NOT NULL DEFAULT 0,"
    " response_status INTEGER NOT NULL DEFAULT 0,"
    " reject_status INTEGER NOT NULL DEFAULT 0,"
    " reject_code TEXT NOT NULL DEFAULT '',"
    " reject_reason TEXT NOT NULL DEFAULT '',"
    " reject_offset INTEGER NOT NULL DEFAULT -1,"
    " remote_address TEXT NOT NULL DEFAULT '',"
    " remote_port INTEGER NOT NULL DEFAULT 0,"
    " local_address TEXT NOT NULL DEFAULT '',"
    " local_port INTEGER NOT NULL DEFAULT 0,"
    " tls_protocol TEXT NOT NULL DEFAULT '',"
    " tls_cipher TEXT NOT NULL DEFAULT '',"
    " imported INTEGER NOT NULL DEFAULT 0,"
    " verdict INTEGER NOT NULL DEFAULT 0,"
    " digest_status TEXT NOT NULL DEFAULT '',"
    " signature_status TEXT NOT NULL DEFAULT '',"
    " problem_codes TEXT NOT NULL DEFAULT '',"
    " verification TEXT,"
    " event_type TEXT NOT NULL DEFAULT '',"
    " event_summary TEXT NOT NULL DEFAULT '',"
    " event TEXT,"
    " pinned INTEGER NOT NULL DEFAULT 0,"
    " comment TEXT NOT NULL DEFAULT '');"
    // Bodies live apart so that scanning summaries never pages them in.
    "CREATE TABLE capture_raw (id INTEGER PRIMARY KEY, raw BLOB NOT NULL);"
    "CREATE INDEX captures_received_at ON captures(received_at);",
    // 1 -> 2: the verdict and event documents (about 3 KiB a capture) move to their own table.
    // Written into the captures rows, they made every annotation rewrite a row into overflow
    // pages, and every summary scan walk those pages to reach the columns after them.
    "CREATE TABLE capture_analysis (id INTEGER PRIMARY KEY, verification TEXT, event TEXT);"
    "INSERT INTO capture_analysis (id, verification, event) SELECT id, verification, event FROM captures"
    " WHERE verification IS NOT NULL OR event IS NOT NULL;"
    "ALTER TABLE captures DROP COLUMN verification;"
    "ALTER TABLE captures DROP COLUMN event;",
    // 2 -> 3: documents of 256 bytes or more are written as LZ4 blobs (capture/storeddocument.h);
    // the rows written before stay text. Nothing moves: the version keeps older builds, which
    // would read a blob as JSON, from opening the file.
    "SELECT 1;",
};

QString runScript(QSqlDatabase &db, const QString &script)
{
    QSqlQuery query(db);
    const QStringList statements = script.split(QLatin1Char(';'), Qt::SkipEmptyParts);
    for (const QString &statement : statements) {
        if (statement.trimmed().isEmpty())
            continue;
        if (!query.exec(statement))
            return query.lastError().text();
    }
    return {};
}

} // namespace

QString openDatabase(const QString &path, const QString &connectionName, bool readOnly, bool fullSync)
{
    const QFileInfo info(path);
    if (!readOnly && !QDir().mkpath(info.absolutePath()))
        return QStringLiteral("cannot create the folder %1").arg(info.absolutePath());
    if (readOnly && !info.exists())
        return QStringLiteral("no capture store at %1").arg(path);

    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connectionName);
    db.setDatabaseName(path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db.open())
        return QStringLiteral("cannot open %1: %2").arg(path, db.lastError().text());

    QSqlQuery query(db);
    // A file that is not SQLite fails here, with SQLite's own words.
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
        return QStringLiteral("%1 is not a Hookscope capture store: %2").arg(path, query.lastError().text());
    int version = query.value(0).toInt();
    if (version > SchemaVersion) {
        return QStringLiteral("%1 was written by a newer Hookscope (schema %2, this build knows %3)")
            .arg(path).arg(version).arg(SchemaVersion);
    }
    if (readOnly) {
        if (version < SchemaVersion)
            return QStringLiteral("%1 has an older schema; open it once with listen to migrate it").arg(path);
        query.exec(QStringLiteral("PRAGMA query_only = ON"));
        return {};
    }

    if (!query.exec(QStringLiteral("PRAGMA journal_mode = WAL")) || !query.next()
        || query.value(0).toString().compare(QStringLiteral("wal"), Qt::CaseInsensitive) != 0) {
        return QStringLiteral("cannot switch %1 to WAL mode").arg(path);
    }
    query.exec(fullSync ? QStringLiteral("PRAGMA synchronous = FULL")
                        : QStringLiteral("PRAGMA synchronous = NORMAL"));
    query.exec(QStringLiteral("PRAGMA foreign_keys = ON"));

    for (; version < SchemaVersion; ++version) {
        if (!db.transaction())
            return db.lastError().text();
        QString error = runScript(db, QString::fromLatin1(migrations[version]));
        if (error.isEmpty() && !query.exec(QStringLiteral("PRAGMA user_version = %1").arg(version + 1)))
            error = query.lastError().text();
        if (!error.isEmpty()) {
            db.rollback();
            return QStringLiteral("migrating %1 to schema %2 failed: %3").arg(path).arg(version + 1).arg(error);
        }
        if (!db.commit())
            return db.lastError().text();
    }
    return {};
}

} // namespace Capture
