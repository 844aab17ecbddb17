#include "http/utctext.h"

#include <QDate>

namespace Http {

namespace {

char *writeDigits(char *cursor, int value, int digits)
{
    for (int i = digits - 1; i >= 0; --i) {
        cursor[i] = char('0' + value % 10);
        value /= 10;
    }
    return cursor + digits;
}

} // namespace

QString utcText(const QDateTime &time, UtcPrecision precision)
{
    const bool millis = precision == UtcPrecision::Milliseconds;
    const auto viaQt = [&] {
        return millis ? time.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ")) : time.toUTC().toString(Qt::ISODate);
    };
    if (!time.isValid())
        return viaQt();
    const qint64 msecs = time.toMSecsSinceEpoch();
    const qint64 msecOfDay = ((msecs % 86'400'000) + 86'400'000) % 86'400'000;
    const QDate date = QDate(1970, 1, 1).addDays((msecs - msecOfDay) / 86'400'000);
    if (date.year() < 1000 || date.year() > 9999)
        return viaQt();
    const int seconds = int(msecOfDay / 1000);
    char text[24];
    char *cursor = writeDigits(text, date.year(), 4);
    *cursor++ = '-';
    cursor = writeDigits(cursor, date.month(), 2);
    *cursor++ = '-';
    cursor = writeDigits(cursor, date.day(), 2);
    *cursor++ = 'T';
    cursor = writeDigits(cursor, seconds / 3600, 2);
    *cursor++ = ':';
    cursor = writeDigits(cursor, seconds / 60 % 60, 2);
    *cursor++ = ':';
    cursor = writeDigits(cursor, seconds % 60, 2);
    if (millis) {
        *cursor++ = '.';
        cursor = writeDigits(cursor, int(msecOfDay % 1000), 3);
    }
    *cursor++ = 'Z';
    return QString::fromLatin1(text, cursor - text);
}

} // namespace Http
