#include "capture/sqlitestatement.h"

#include <QSqlDatabase>
#include <QSqlDriver>
#include <QVariant>

#include <sqlite3.h>

namespace Capture {

sqlite3 *sqliteHandle(const QSqlDatabase &database)
{
    const QVariant handle = database.driver() ? database.driver()->handle() : QVariant();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(handle.constData());
}

SqliteStatement::~SqliteStatement()
{
    sqlite3_finalize(m_statement);
}

QString SqliteStatement::prepare(sqlite3 *database, const char *sql)
{
    m_database = database;
    if (!database)
        return QStringLiteral("no SQLite connection");
    if (sqlite3_prepare_v3(database, sql, -1, SQLITE_PREPARE_PERSISTENT, &m_statement, nullptr) != SQLITE_OK)
        return QString::fromUtf8(sqlite3_errmsg(database));
    return {};
}

void SqliteStatement::bind(int index, qint64 value)
{
    sqlite3_bind_int64(m_statement, index, value);
}

void SqliteStatement::bind(int index, const QString &text)
{
    // A null QString is NULL, as Qt SQL binds it; the statements say COALESCE(?, '').
    if (text.isNull()) {
        sqlite3_bind_null(m_statement, index);
    } else if (text.isEmpty()) {
        sqlite3_bind_text(m_statement, index, "", 0, SQLITE_STATIC);
    } else {
        // UTF-8, the database's encoding: bound as UTF-16, SQLite translated every value
        // itself, several times slower than Qt's conversion (1% of the writer's time).
        m_converted.push_back(text.toUtf8());
        bindUtf8(index, m_converted.back());
    }
}

void SqliteStatement::bindLatin1(int index, const QByteArray &text)
{
    for (char c : text) {
        if (uchar(c) >= 0x80) {
            m_converted.push_back(QString::fromLatin1(text).toUtf8());
            bindUtf8(index, m_converted.back());
            return;
        }
    }
    bindUtf8(index, text);
}

void SqliteStatement::bindUtf8(int index, QByteArrayView text)
{
    if (text.isNull()) {
        sqlite3_bind_null(m_statement, index);
        return;
    }
    sqlite3_bind_text(m_statement, index, text.data(), int(text.size()), SQLITE_STATIC);
}

void SqliteStatement::bindBlob(int index, QByteArrayView bytes)
{
    sqlite3_bind_blob64(m_statement, index, bytes.data() ? bytes.data() : "", sqlite3_uint64(bytes.size()), SQLITE_STATIC);
}

bool SqliteStatement::step()
{
    const int result = sqlite3_step(m_statement);
    const bool ok = result == SQLITE_DONE || result == SQLITE_ROW;
    m_error = ok ? QString() : QString::fromUtf8(sqlite3_errmsg(m_database));
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
    m_converted.clear();
    return ok;
}

bool SqliteStatement::next()
{
    const int result = sqlite3_step(m_statement);
    if (result == SQLITE_ROW)
        return true;
    m_error = result == SQLITE_DONE ? QString() : QString::fromUtf8(sqlite3_errmsg(m_database));
    return false;
}

void SqliteStatement::finish()
{
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
    m_converted.clear();
}

qint64 SqliteStatement::columnInt(int index) const
{
    return sqlite3_column_int64(m_statement, index);
}

QString SqliteStatement::columnText(int index) const
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(m_statement, index));
    return QString::fromUtf8(text, sqlite3_column_bytes(m_statement, index));
}

QByteArray SqliteStatement::columnBytes(int index) const
{
    const void *bytes = sqlite3_column_blob(m_statement, index);
    return QByteArray(static_cast<const char *>(bytes), sqlite3_column_bytes(m_statement, index));
}

bool SqliteStatement::columnIsBlob(int index) const
{
    return sqlite3_column_type(m_statement, index) == SQLITE_BLOB;
}

} // namespace Capture
