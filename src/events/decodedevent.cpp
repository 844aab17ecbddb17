#include "events/decodedevent.h"

#include <QJsonArray>

namespace Events {

QString matchKindName(MatchKind kind)
{
    switch (kind) {
    case MatchKind::None: break;
    case MatchKind::Header: return QStringLiteral("header");
    case MatchKind::FieldValue: return QStringLiteral("field");
    case MatchKind::Shape: return QStringLiteral("shape");
    }
    return QStringLiteral("none");
}

QString fieldStatusName(FieldStatus status)
{
    switch (status) {
    case FieldStatus::Ok: break;
    case FieldStatus::Missing: return QStringLiteral("missing");
    case FieldStatus::Absent: return QStringLiteral("absent");
    case FieldStatus::WrongType: return QStringLiteral("wrong-type");
    case FieldStatus::Unexpected: return QStringLiteral("unexpected");
    case FieldStatus::Undocumented: return QStringLiteral("undocumented");
    }
    return QStringLiteral("ok");
}

QString severityName(EventProblem::Severity severity)
{
    switch (severity) {
    case EventProblem::Severity::Info: return QStringLiteral("info");
    case EventProblem::Severity::Warning: break;
    case EventProblem::Severity::Error: return QStringLiteral("error");
    }
    return QStringLiteral("warning");
}

static QJsonValue stringOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QJsonObject EventSummary::toJson() const
{
    return QJsonObject{{QStringLiteral("type"), stringOrNull(type)},
                       {QStringLiteral("entityId"), stringOrNull(entityId)},
                       {QStringLiteral("summary"), summary}};
}

bool DecodedEvent::hasProblems(EventProblem::Severity atLeast) const
{
    for (const EventProblem &problem : problems) {
        if (problem.severity >= atLeast)
            return true;
    }
    return false;
}

EventSummary DecodedEvent::compact() const
{
    return EventSummary{eventType, entityId, summary};
}

QJsonObject DecodedEvent::toJson() const
{
    QJsonObject object = compact().toJson();
    object.insert(QStringLiteral("typeId"), stringOrNull(eventTypeId));
    object.insert(QStringLiteral("provider"), stringOrNull(providerId));
    object.insert(QStringLiteral("documented"), documented);
    object.insert(QStringLiteral("matchedBy"), matchKindName(matchedBy));
    object.insert(QStringLiteral("confidence"), confidenceName(confidence));
    object.insert(QStringLiteral("matchDetail"), stringOrNull(matchDetail));
    object.insert(QStringLiteral("matchAssumption"), stringOrNull(matchAssumption));
    object.insert(QStringLiteral("entity"), stringOrNull(entity));
    object.insert(QStringLiteral("eventId"), stringOrNull(eventId));
    object.insert(QStringLiteral("eventTime"),
                  eventTime.isValid() ? QJsonValue(eventTime.toString(Qt::ISODateWithMs)) : QJsonValue(QJsonValue::Null));
    QJsonArray fieldArray;
    for (const FieldCheck &field : fields) {
        QJsonObject entry{{QStringLiteral("name"), field.name},
                          {QStringLiteral("status"), fieldStatusName(field.status)},
                          {QStringLiteral("actualType"), field.actualType}};
        if (!field.expectedType.isEmpty())
            entry.insert(QStringLiteral("expectedType"), field.expectedType);
        if (!field.note.isEmpty())
            entry.insert(QStringLiteral("note"), field.note);
        fieldArray.append(entry);
    }
    object.insert(QStringLiteral("fields"), fieldArray);
    QJsonArray identifierArray;
    for (const Identifier &identifier : identifiers)
        identifierArray.append(QJsonObject{{QStringLiteral("path"), identifier.path}, {QStringLiteral("value"), identifier.value}});
    object.insert(QStringLiteral("identifiers"), identifierArray);
    QJsonArray tableArray;
    for (const JsonTable &table : tables) {
        tableArray.append(QJsonObject{{QStringLiteral("path"), table.path},
                                      {QStringLiteral("columns"), QJsonArray::fromStringList(table.columns)},
                                      {QStringLiteral("rows"), table.rows.size()}});
    }
    object.insert(QStringLiteral("tables"), tableArray);
    QJsonArray problemArray;
    for (const EventProblem &problem : problems) {
        problemArray.append(QJsonObject{{QStringLiteral("code"), problem.code},
                                        {QStringLiteral("severity"), severityName(problem.severity)},
                                        {QStringLiteral("message"), problem.message}});
    }
    object.insert(QStringLiteral("problems"), problemArray);
    return object;
}

} // namespace Events
