#pragma once

#include "events/payload.h"
#include "events/providerprofile.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

namespace Events {

/// How an event type was recognised.
enum class MatchKind { None, Header, FieldValue, Shape };
QString matchKindName(MatchKind kind); // "none", "header", "field", "shape"

/// The check of one payload field against the profile.
enum class FieldStatus {
    Ok,           // documented, present, of the documented type
    Missing,      // documented and required, absent
    Absent,       // documented as optional, absent
    WrongType,    // documented, present with another type
    Unexpected,   // present, not documented
    Undocumented, // present, not documented, but expected to be (unnamed arrays, the event-type
                  // field, every field of an event whose payload is undocumented)
};
QString fieldStatusName(FieldStatus status); // "ok", "missing", "absent", "wrong-type", "unexpected", "undocumented"

struct FieldCheck
{
    QString name;         // dotted path
    FieldStatus status = FieldStatus::Ok;
    QString expectedType; // "number", "string|null"; empty when not documented
    QString actualType;   // jsonTypeName(), "absent" when missing
    QString description;  // the provider's description, when documented
    QString note;         // why an undocumented field is expected
    QJsonValue value;     // Undefined when absent
};

/// Something a user should know about a decoded capture: a stable code and one sentence.
struct EventProblem
{
    enum class Severity { Info, Warning, Error };
    Severity severity = Severity::Warning;
    // Codes: not-json, empty-body, body-not-object, no-event-matched, ambiguous-match,
    // field-missing, field-wrong-type, field-unexpected, undocumented-payload, assumed-detection
    QString code;
    QString message;
};
QString severityName(EventProblem::Severity severity); // "info", "warning", "error"

/// The compact result for one capture, as `listen --json` prints it under "event".
struct EventSummary
{
    QString type;     // event type name; empty when none matched
    QString entityId; // empty when unknown
    QString summary;  // one line, always set

    /// {"type": "..." | null, "entityId": "..." | null, "summary": "..."}
    QJsonObject toJson() const;
};

/// The full decoding of one capture's body and headers against the provider profiles.
struct DecodedEvent
{
    enum class Body { Object, OtherJson, Empty, NotJson };
    Body body = Body::Empty;
    QString jsonError;           // Body::NotJson: Qt's error text
    qsizetype jsonErrorOffset = -1;

    QString providerId;
    QString providerName;
    QString eventType;   // "Conversation Ended"; empty when nothing matched
    QString eventTypeId; // "conversation-ended"
    bool documented = false;

    MatchKind matchedBy = MatchKind::None;
    Confidence confidence = Confidence::None;
    QString matchDetail;     // "field \"type\" is \"coupon.created\""
    QString matchAssumption; // non-empty when the matching rule is an assumption

    QString entity;        // "coupon", "conversation"
    QString entityId;
    QString entityIdField; // the path it came from
    QString eventId;       // delivery/event id, when the profile names where to find one
    QDateTime eventTime;   // the payload's own timestamp (UTC), when found
    QString eventTimeField;
    QByteArray bodySha256; // raw digest of the body bytes

    QString summary;
    QList<FieldCheck> fields; // documented fields first, then the others in document order
    QList<JsonTable> tables;  // arrays of objects anywhere in the payload
    QList<Identifier> identifiers;
    QJsonValue payload;       // the parsed body (Undefined when not JSON)
    KeyOrder keyOrder;        // document order of object keys, for tree views
    QList<EventProblem> problems;
    LifecycleRule lifecycle;  // copied from the event type, for Events::Timeline

    bool isRecognized() const { return !eventType.isEmpty(); }
    bool hasProblems(EventProblem::Severity atLeast = EventProblem::Severity::Warning) const;
    EventSummary compact() const;
    /// Everything above except payload/keyOrder/lifecycle, for exports and debugging.
    QJsonObject toJson() const;
};

} // namespace Events
