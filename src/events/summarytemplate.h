#pragma once

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <expected>
#include <functional>

namespace Events {

/// A one-line template such as "Conversation {id} ended after {seconds|duration}".
/// {path} is a dotted path into the payload; {$name} a value the decoder supplies ($event,
/// $entity, $entityId, $identifiers, $eventTime); "|formatter" formats it (see formatters()).
/// "{{" and "}}" are literal braces. A value that is absent renders as "?".
class SummaryTemplate final
{
public:
    struct Placeholder
    {
        QString name;      // "id", "call.status" or "$entityId"
        QString formatter; // empty, or one of formatters()
    };

    SummaryTemplate() = default;

    /// Fails with one sentence naming the problem (unbalanced brace, empty placeholder,
    /// unknown formatter).
    static std::expected<SummaryTemplate, QString> parse(QStringView text);

    static QStringList formatters(); // "duration", "datetime", "upper", "lower", "count", "json"

    const QString &text() const { return m_text; }
    QList<Placeholder> placeholders() const;
    bool isEmpty() const { return m_parts.isEmpty(); }

    /// Renders with paths looked up in payload and $names in values (keys without '$').
    QString render(const QJsonObject &payload, const QHash<QString, QJsonValue> &values = {}) const;
    /// Renders with the value of each placeholder asked of value by its name as written ("id",
    /// "call.status", "$entityId"); Undefined renders as "?".
    QString render(const std::function<QJsonValue(QStringView name)> &value) const;

private:
    struct Part
    {
        QString literal;
        Placeholder placeholder;
        bool isPlaceholder = false;
    };

    QString m_text;
    QList<Part> m_parts;
};

/// "45 s", "5 min 03 s", "1 h 02 min 03 s", "2 d 01 h 00 min 00 s"; fractions below one minute
/// keep one decimal ("12.5 s"); negative durations get a leading '-'.
QString formatDuration(double seconds);

/// A JSON value as summary text, formatted by one of SummaryTemplate::formatters() (or none).
QString formatValue(const QJsonValue &value, QStringView formatter = {});

/// A timestamp from a JSON number (Unix seconds, or milliseconds past 1e11) or an ISO 8601 /
/// RFC 3339 string, in UTC; invalid when the value is neither.
QDateTime dateTimeFromJson(const QJsonValue &value);

/// The value at a dotted path ("call.status") in an object; Undefined when absent.
QJsonValue valueAtPath(const QJsonObject &object, QStringView path);

} // namespace Events
