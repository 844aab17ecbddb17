#pragma once

#include <QSqlDatabase>
#include <QString>

namespace Capture {

/// The schema version this build writes; migrations bring older files up to it.
constexpr int SchemaVersion = 3;

/// Opens (creating if needed) the SQLite file on a connection with this name, switches to WAL
/// and applies migrations. Returns an error sentence, or an empty string on success.
QString openDatabase(const QString &path, const QString &connectionName, bool readOnly,
                     bool fullSync = false);

} // namespace Capture
