#pragma once

#include <QDateTime>
#include <QString>

namespace Http {

enum class UtcPrecision {
    Seconds,      // "2026-12-04T10:00:00Z", as toUTC().toString(Qt::ISODate)
    Milliseconds, // "2026-12-04T10:00:00.123Z", as toUTC().toString("yyyy-MM-ddTHH:mm:ss.zzzZ")
};

/// time in UTC as ISO 8601 text, the same text Qt writes: written directly for the years 1000 to
/// 9999 (every capture's), through QDateTime::toString otherwise. The texts of captures and
/// verdicts are made for each of thousands of captures a second; Qt's formatter costs about 1 us.
QString utcText(const QDateTime &time, UtcPrecision precision);

} // namespace Http
