#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <vector>

struct sqlite3;
struct sqlite3_stmt;

class QSqlDatabase;

namespace Capture {

/// The SQLite connection under a Qt SQL database (same library, same connection).
sqlite3 *sqliteHandle(const QSqlDatabase &database);

/// A statement prepared once on the writer's connection, for the per-capture statements:
/// Qt SQL builds a placeholder name for every bound value, which cost more than the insert.
/// Values bound are not copied: they must live until step().
class SqliteStatement final
{
public:
    SqliteStatement() = default;
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;

    /// Empty on success, else SQLite's message.
    QString prepare(sqlite3 *database, const char *sql);

    void bind(int index, qint64 value);
    void bind(int index, const QString &text);
    /// Bytes that are text in Latin-1 (a request line): stored as UTF-8 like a QString.
    void bindLatin1(int index, const QByteArray &text);
    void bindUtf8(int index, QByteArrayView text);
    void bindBlob(int index, QByteArrayView bytes);

    /// Runs the statement to its end and makes it ready for the next values.
    bool step();
    QString error() const { return m_error; }

    /// For a query: true while it has a row; false at its end or on an error (error() says).
    /// Call finish() after the last row: it ends the read and makes it ready for new values.
    bool next();
    void finish();
    qint64 columnInt(int index) const;
    QString columnText(int index) const;
    QByteArray columnBytes(int index) const;
    bool columnIsBlob(int index) const;

private:
    sqlite3 *m_database = nullptr;
    sqlite3_stmt *m_statement = nullptr;
    std::vector<QByteArray> m_converted; // kept until step()
    QString m_error;
};

} // namespace Capture
