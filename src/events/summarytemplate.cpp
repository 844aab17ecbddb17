#include "events/summarytemplate.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <charconv>
#include <cmath>

namespace Events {

QStringList SummaryTemplate::formatters()
{
    return {QStringLiteral("duration"), QStringLiteral("datetime"), QStringLiteral("upper"),
            QStringLiteral("lower"),    QStringLiteral("count"),    QStringLiteral("json")};
}

std::expected<SummaryTemplate, QString> SummaryTemplate::parse(QStringView text)
{
    SummaryTemplate result;
    result.m_text = text.toString();
    QString literal;
    const auto flushLiteral = [&] {
        if (!literal.isEmpty()) {
            Part part;
            part.literal = literal;
            result.m_parts.append(part);
            literal.clear();
        }
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c == u'}') {
            if (i + 1 < text.size() && text.at(i + 1) == u'}') {
                literal.append(c);
                ++i;
                continue;
            }
            return std::unexpected(QStringLiteral("unmatched '}' at position %1").arg(i));
        }
        if (c != u'{') {
            literal.append(c);
            continue;
        }
        if (i + 1 < text.size() && text.at(i + 1) == u'{') {
            literal.append(c);
            ++i;
            continue;
        }
        const qsizetype close = text.indexOf(u'}', i + 1);
        if (close < 0)
            return std::unexpected(QStringLiteral("unclosed '{' at position %1").arg(i));
        const QStringView inside = text.sliced(i + 1, close - i - 1);
        if (inside.contains(u'{'))
            return std::unexpected(QStringLiteral("nested '{' in the placeholder at position %1").arg(i));
        const qsizetype bar = inside.indexOf(u'|');
        Placeholder placeholder;
        placeholder.name = (bar < 0 ? inside : inside.first(bar)).trimmed().toString();
        if (bar >= 0)
            placeholder.formatter = inside.sliced(bar + 1).trimmed().toString();
        if (placeholder.name.isEmpty() || placeholder.name == u'$')
            return std::unexpected(QStringLiteral("empty placeholder at position %1").arg(i));
        if (bar >= 0 && !formatters().contains(placeholder.formatter)) {
            return std::unexpected(QStringLiteral("unknown formatter \"%1\" in {%2} (known: %3)")
                                       .arg(placeholder.formatter, inside.toString(),
                                            formatters().join(QStringLiteral(", "))));
        }
        flushLiteral();
        Part part;
        part.placeholder = placeholder;
        part.isPlaceholder = true;
        result.m_parts.append(part);
        i = close;
    }
    flushLiteral();
    return result;
}

QList<SummaryTemplate::Placeholder> SummaryTemplate::placeholders() const
{
    QList<Placeholder> result;
    for (const Part &part : m_parts) {
        if (part.isPlaceholder)
            result.append(part.placeholder);
    }
    return result;
}

QString SummaryTemplate::render(const QJsonObject &payload, const QHash<QString, QJsonValue> &values) const
{
    return render([&](QStringView name) {
        if (!name.startsWith(u'$'))
            return valueAtPath(payload, name);
        const auto it = values.constFind(name.sliced(1).toString());
        return it == values.constEnd() ? QJsonValue(QJsonValue::Undefined) : it.value();
    });
}

QString SummaryTemplate::render(const std::function<QJsonValue(QStringView name)> &value) const
{
    QString out;
    out.reserve(m_text.size());
    for (const Part &part : m_parts) {
        if (!part.isPlaceholder) {
            out += part.literal;
            continue;
        }
        const QJsonValue found = value(part.placeholder.name);
        out += found.isUndefined() ? QStringLiteral("?") : formatValue(found, part.placeholder.formatter);
    }
    return out;
}

QString formatDuration(double seconds)
{
    if (!std::isfinite(seconds))
        return QString::number(seconds);
    if (seconds < 0)
        return u'-' + formatDuration(-seconds);
    if (seconds < 60 && seconds != std::floor(seconds))
        return QString::number(seconds, 'f', 1) + QStringLiteral(" s");
    const qint64 total = qint64(std::llround(seconds));
    const qint64 days = total / 86400;
    const qint64 hours = total % 86400 / 3600;
    const qint64 minutes = total % 3600 / 60;
    const qint64 secs = total % 60;
    // The largest unit as it is, the ones below it in two digits: "1 h 02 min 03 s".
    QString text;
    const auto append = [&text](qint64 value, QLatin1StringView unit, bool twoDigits) {
        char digits[24];
        const auto written = std::to_chars(digits, digits + sizeof digits, value);
        if (twoDigits && value < 10)
            text += u'0';
        text += QLatin1StringView(digits, written.ptr) + unit;
    };
    const bool withDays = days > 0;
    const bool withHours = withDays || hours > 0;
    const bool withMinutes = withHours || minutes > 0;
    if (withDays)
        append(days, QLatin1StringView(" d "), false);
    if (withHours)
        append(hours, QLatin1StringView(" h "), withDays);
    if (withMinutes)
        append(minutes, QLatin1StringView(" min "), withHours);
    append(secs, QLatin1StringView(" s"), withMinutes);
    return text;
}

static QString plainText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Double: {
        const double number = value.toDouble();
        if (number == std::floor(number) && std::abs(number) < 9.0e15)
            return QString::number(qint64(number));
        return QString::number(number, 'g', 15);
    }
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("?");
}

QString formatValue(const QJsonValue &value, QStringView formatter)
{
    if (formatter == u"duration" && value.isDouble())
        return formatDuration(value.toDouble());
    if (formatter == u"datetime") {
        const QDateTime time = dateTimeFromJson(value);
        if (time.isValid())
            return time.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
    }
    if (formatter == u"upper")
        return plainText(value).toUpper();
    if (formatter == u"lower")
        return plainText(value).toLower();
    if (formatter == u"count") {
        if (value.isArray())
            return QString::number(value.toArray().size());
        if (value.isObject())
            return QString::number(value.toObject().size());
    }
    if (formatter == u"json") {
        if (value.isString())
            return QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
    }
    return plainText(value);
}

QDateTime dateTimeFromJson(const QJsonValue &value)
{
    QDateTime time;
    if (value.isDouble()) {
        const double number = value.toDouble();
        // Numbers past 1e11 are taken as milliseconds (seconds that large are after year 5000).
        time = QDateTime::fromMSecsSinceEpoch(qint64(std::abs(number) > 1e11 ? number : number * 1000), Qt::UTC);
    } else if (value.isString()) {
        time = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    }
    return time.isValid() ? time.toUTC() : QDateTime();
}

QJsonValue valueAtPath(const QJsonObject &object, QStringView path)
{
    // Most paths are one key: look it up without wrapping the object in a QJsonValue.
    if (!path.isEmpty() && !path.contains(u'.')) {
        const auto it = object.constFind(path);
        return it == object.constEnd() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(*it);
    }
    QJsonValue current = object;
    for (const QStringView key : path.tokenize(u'.')) {
        if (!current.isObject())
            return QJsonValue(QJsonValue::Undefined);
        const QJsonObject inner = current.toObject();
        const auto it = inner.constFind(key);
        if (it == inner.constEnd())
            return QJsonValue(QJsonValue::Undefined);
        current = *it;
    }
    return current;
}

} // namespace Events
