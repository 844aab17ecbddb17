#include "events/decoder.h"

#include "events/decoderrules.h"
#include "events/jsonmembers.h"
#include "events/summarytemplate.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <openssl/evp.h>

#include <algorithm>
#include <optional>

namespace Events {

namespace {

// What one capture offers the detection rules, read once for every event type: the headers that
// some rule names, and the strings at the paths that field rules name.
struct DetectionInputs
{
    struct Text
    {
        QString value;
        QString normalized; // normalizedName(value), compared with the rules' normalized values
    };
    struct Header
    {
        const Http::HeaderField *field = nullptr;
        qsizetype name = -1; // into DecoderRules::headerNames
        Text text;
    };

    QList<Header> headers;             // in request order
    QList<std::optional<Text>> fields; // per DecoderRules::fieldPaths; nullopt: absent or not a string
};

DetectionInputs readInputs(const DecoderRules &rules, const QList<Http::HeaderField> &headers, const JsonMembers *object)
{
    const auto text = [](const QString &value) { return DetectionInputs::Text{value, normalizedName(value)}; };
    DetectionInputs inputs;
    for (const Http::HeaderField &header : headers) {
        const auto name = std::find_if(rules.headerNames.cbegin(), rules.headerNames.cend(),
                                       [&header](const QByteArray &known) { return header.nameIs(known); });
        if (name != rules.headerNames.cend())
            inputs.headers.append({&header, name - rules.headerNames.cbegin(), text(QString::fromUtf8(header.value))});
    }
    if (!object)
        return inputs;
    inputs.fields.reserve(rules.fieldPaths.size());
    for (const QString &path : rules.fieldPaths) {
        const QJsonValue value = object->valueAtPath(path);
        inputs.fields.append(value.isString() ? std::optional(text(value.toString())) : std::nullopt);
    }
    return inputs;
}

struct Candidate
{
    const PreparedEventType *event = nullptr;
    const DetectionRule *rule = nullptr;
    Confidence confidence = Confidence::None;
    // What matchDetail() says: the header or field and the value that matched, or whether the
    // shape's types did.
    const Http::HeaderField *header = nullptr;
    QString value;
    QString matchedField; // field rules: the path that carried the event type
    bool typesMatch = true;
};

// Made for the chosen candidate only.
QString matchDetail(const Candidate &match)
{
    switch (match.rule->kind) {
    case DetectionRule::Kind::Header:
        return QStringLiteral("header %1 is \"%2\"").arg(QString::fromUtf8(match.header->name), match.value);
    case DetectionRule::Kind::FieldValue:
        return QStringLiteral("field \"%1\" is \"%2\"").arg(match.matchedField, match.value);
    case DetectionRule::Kind::Shape:
        break;
    }
    return QStringLiteral("payload has %1%2")
        .arg(match.rule->required.join(QStringLiteral(", ")),
             match.typesMatch ? QString() : QStringLiteral(" (not all of the documented types)"));
}

// Whether value has one of the types of documented, the field a profile documents at its path;
// any type will do when it documents none (nullptr).
bool hasDocumentedType(const FieldSpec *documented, const QJsonValue &value)
{
    if (!documented)
        return true;
    return std::any_of(documented->types.cbegin(), documented->types.cend(),
                       [&value](const QString &type) { return jsonValueHasType(value, type); });
}

Candidate evaluate(const PreparedEventType &event, const PreparedRule &prepared, const DetectionInputs &inputs,
                   const JsonMembers *object)
{
    const DetectionRule &rule = *prepared.rule;
    Candidate candidate{&event, &rule, Confidence::None, nullptr, {}, {}, true};
    switch (rule.kind) {
    case DetectionRule::Kind::Header:
        for (const DetectionInputs::Header &header : inputs.headers) {
            if (prepared.headers.contains(header.name) && prepared.values.contains(header.text.normalized)) {
                candidate.confidence = rule.confidence;
                candidate.header = header.field;
                candidate.value = header.text.value;
                return candidate;
            }
        }
        break;
    case DetectionRule::Kind::FieldValue:
        if (!object)
            break;
        for (qsizetype i = 0; i < prepared.fields.size(); ++i) {
            const std::optional<DetectionInputs::Text> &text = inputs.fields.at(prepared.fields.at(i));
            if (text && prepared.values.contains(text->normalized)) {
                candidate.confidence = rule.confidence;
                candidate.value = text->value;
                candidate.matchedField = rule.fields.at(i);
                return candidate;
            }
        }
        break;
    case DetectionRule::Kind::Shape: {
        if (!object)
            break;
        for (qsizetype i = 0; i < rule.required.size(); ++i) {
            const QJsonValue value = object->valueAtPath(rule.required.at(i));
            if (value.isUndefined())
                return candidate;
            candidate.typesMatch = candidate.typesMatch && hasDocumentedType(prepared.requiredFields.at(i), value);
        }
        // Present but of other types: still a hint, a weaker one.
        candidate.confidence = candidate.typesMatch ? rule.confidence
                                                    : Confidence(qMax(int(rule.confidence) - 1, int(Confidence::Low)));
        return candidate;
    }
    }
    return candidate;
}

void addProblem(DecodedEvent &result, EventProblem::Severity severity, const QString &code, const QString &message)
{
    result.problems.append(EventProblem{severity, code, message});
}

QString firstScalarAt(const JsonMembers &object, const QStringList &paths, QString *foundPath = nullptr)
{
    for (const QString &path : paths) {
        const QJsonValue value = object.valueAtPath(path);
        if ((value.isString() && !value.toString().isEmpty()) || value.isDouble()) {
            if (foundPath)
                *foundPath = path;
            return formatValue(value);
        }
    }
    return QString();
}

void checkFields(DecodedEvent &result, const PreparedEventType &prepared, const JsonMembers &object, const Candidate &match)
{
    const EventTypeSpec &event = *prepared.event;
    result.fields.reserve(event.fields.size() + object.inOrder().size());
    for (qsizetype i = 0; i < event.fields.size(); ++i) {
        const FieldSpec &spec = event.fields.at(i);
        FieldCheck check;
        check.name = spec.name;
        check.expectedType = prepared.expectedTypes.at(i);
        check.description = spec.description;
        check.value = object.valueAtPath(spec.name);
        check.actualType = jsonTypeName(check.value);
        if (check.value.isUndefined()) {
            check.status = spec.required ? FieldStatus::Missing : FieldStatus::Absent;
            if (spec.required)
                addProblem(result, EventProblem::Severity::Error, QStringLiteral("field-missing"),
                           QStringLiteral("The documented field \"%1\" is missing.").arg(spec.name));
        } else if (!hasDocumentedType(prepared.documentedFields.at(i), check.value)) {
            check.status = FieldStatus::WrongType;
            addProblem(result, EventProblem::Severity::Error, QStringLiteral("field-wrong-type"),
                       QStringLiteral("The field \"%1\" should be %2 but is %3.").arg(spec.name, check.expectedType, check.actualType));
        }
        result.fields.append(std::move(check));
    }
    for (const JsonMember &member : object.inOrder()) {
        const QString &key = member.key;
        if (prepared.documentedRoots.contains(key))
            continue;
        FieldCheck check;
        check.name = key;
        check.value = member.value;
        check.actualType = jsonTypeName(check.value);
        check.status = FieldStatus::Undocumented;
        const auto unnamed = [&] {
            return std::any_of(event.unnamedFieldTypes.cbegin(), event.unnamedFieldTypes.cend(),
                               [&](const QString &type) { return jsonValueHasType(check.value, type); });
        };
        if (!event.documented) {
            check.note = QStringLiteral("the provider does not document this payload");
        } else if (key == match.matchedField) {
            check.note = QStringLiteral("carries the event type (%1)").arg(match.rule->assumption.isEmpty() ? QStringLiteral("detection rule") : QStringLiteral("assumed"));
        } else if (unnamed()) {
            check.note = event.unnamedFieldsDescription;
        } else {
            check.status = FieldStatus::Unexpected;
            addProblem(result, EventProblem::Severity::Warning, QStringLiteral("field-unexpected"),
                       QStringLiteral("The field \"%1\" is not documented for %2.").arg(key, event.name));
        }
        result.fields.append(std::move(check));
    }
}

QString identifiersText(const QList<Identifier> &identifiers)
{
    QStringList parts;
    for (const Identifier &identifier : identifiers)
        parts.append(identifier.path + u'=' + identifier.value);
    return parts.join(QStringLiteral(", "));
}

// What the body is when it is not an event object; empty for an object.
QString bodyDescription(const DecodedEvent &result)
{
    switch (result.body) {
    case DecodedEvent::Body::Empty:
        return QStringLiteral("empty body");
    case DecodedEvent::Body::NotJson:
        return QStringLiteral("not JSON: %1 at offset %2").arg(result.jsonError).arg(result.jsonErrorOffset);
    case DecodedEvent::Body::OtherJson:
        return result.payload.isArray()
                   ? QStringLiteral("JSON array of %1 elements, not an event object").arg(result.payload.toArray().size())
                   : QStringLiteral("JSON %1, not an event object").arg(jsonTypeName(result.payload));
    case DecodedEvent::Body::Object:
        break;
    }
    return QString();
}

void describeUnmatched(DecodedEvent &result)
{
    result.summary = bodyDescription(result);
    if (result.body != DecodedEvent::Body::Object)
        return;
    result.summary = result.identifiers.isEmpty()
                         ? QStringLiteral("unrecognized JSON object with %1 fields").arg(result.payload.toObject().size())
                         : QStringLiteral("unrecognized JSON object; identifiers found: %1").arg(identifiersText(result.identifiers));
    addProblem(result, EventProblem::Severity::Warning, QStringLiteral("no-event-matched"),
               QStringLiteral("No event type of the loaded provider profiles matches this payload."));
}

// OpenSSL's one-shot digest: QCryptographicHash costs several times more on webhook-sized bodies.
QByteArray sha256(QByteArrayView data)
{
    QByteArray digest(EVP_MAX_MD_SIZE, Qt::Uninitialized);
    unsigned int size = 0;
    // Fetched once: OpenSSL 3 looks the implementation up again on each call given EVP_sha256().
    static EVP_MD *const algorithm = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (!algorithm
        || EVP_Digest(data.data(), size_t(data.size()), reinterpret_cast<unsigned char *>(digest.data()), &size,
                      algorithm, nullptr) != 1)
        return QByteArray();
    digest.truncate(qsizetype(size));
    return digest;
}

void parseBody(DecodedEvent &result, QByteArrayView body, Decoder::Detail detail)
{
    result.bodySha256 = sha256(body);
    if (body.trimmed().isEmpty()) {
        result.body = DecodedEvent::Body::Empty;
        addProblem(result, EventProblem::Severity::Warning, QStringLiteral("empty-body"), QStringLiteral("The request has no body."));
        return;
    }
    QJsonParseError error;
    // fromJson copies what it keeps, so the body needs no copy of its own.
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray::fromRawData(body.data(), body.size()), &error);
    if (error.error != QJsonParseError::NoError) {
        result.body = DecodedEvent::Body::NotJson;
        result.jsonError = error.errorString();
        result.jsonErrorOffset = error.offset;
        addProblem(result, EventProblem::Severity::Error, QStringLiteral("not-json"),
                   QStringLiteral("The body is not JSON: %1 at offset %2.").arg(error.errorString()).arg(error.offset));
        return;
    }
    if (detail != Decoder::Detail::Summary) // it reads the key order when it needs it
        result.keyOrder = scanKeyOrder(body);
    result.payload = document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array());
    result.body = document.isObject() ? DecodedEvent::Body::Object : DecodedEvent::Body::OtherJson;
    if (detail == Decoder::Detail::Full)
        result.tables = findTables(result.payload, result.keyOrder);
    if (!document.isObject())
        addProblem(result, EventProblem::Severity::Warning, QStringLiteral("body-not-object"),
                   QStringLiteral("The body is a JSON %1, not an object.").arg(jsonTypeName(result.payload)));
}

void applyMatch(DecodedEvent &result, const Candidate &match, const JsonMembers &object, bool checkFieldsToo)
{
    const EventTypeSpec &event = *match.event->event;
    result.providerId = match.event->profile->id;
    result.providerName = match.event->profile->name;
    result.eventType = event.name;
    result.eventTypeId = event.id;
    result.documented = event.documented;
    result.matchedBy = match.rule->kind == DetectionRule::Kind::Header       ? MatchKind::Header
                       : match.rule->kind == DetectionRule::Kind::FieldValue ? MatchKind::FieldValue
                                                                             : MatchKind::Shape;
    result.confidence = match.confidence;
    result.matchDetail = matchDetail(match);
    result.matchAssumption = match.rule->assumption;
    result.entity = event.entity;
    result.lifecycle = event.lifecycle;
    if (!match.rule->assumption.isEmpty())
        addProblem(result, EventProblem::Severity::Info, QStringLiteral("assumed-detection"),
                   QStringLiteral("Recognised by an assumed rule: %1").arg(match.rule->assumption));
    if (!event.documented)
        addProblem(result, EventProblem::Severity::Info, QStringLiteral("undocumented-payload"),
                   QStringLiteral("The provider does not document the %1 payload; its fields are shown as found.").arg(event.name));

    if (result.body == DecodedEvent::Body::NotJson || result.body == DecodedEvent::Body::Empty) {
        result.summary = event.name + QStringLiteral(": ") + bodyDescription(result);
        return;
    }
    if (result.body == DecodedEvent::Body::Object) {
        if (checkFieldsToo)
            checkFields(result, *match.event, object, match);
        result.entityId = firstScalarAt(object, event.entityIdFields, &result.entityIdField);
        if (result.entityId.isEmpty() && !event.documented && !result.identifiers.isEmpty()) {
            result.entityId = result.identifiers.constFirst().value;
            result.entityIdField = result.identifiers.constFirst().path;
        }
        result.eventId = firstScalarAt(object, event.eventIdFields);
        for (const QString &path : event.timestampFields) {
            const QDateTime time = dateTimeFromJson(object.valueAtPath(path));
            if (time.isValid()) {
                result.eventTime = time;
                result.eventTimeField = path;
                break;
            }
        }
    }
    // The $values are made only when the template names them: the time and identifier texts
    // cost more than the rest of the summary, and most templates use neither.
    const auto supplied = [&](QStringView name) -> QJsonValue {
        if (name == u"event")
            return event.name;
        if (name == u"entity" && !event.entity.isEmpty())
            return event.entity;
        if (name == u"entityId" && !result.entityId.isEmpty())
            return result.entityId;
        if (name == u"identifiers" && !result.identifiers.isEmpty())
            return identifiersText(result.identifiers);
        if (name == u"eventTime" && result.eventTime.isValid())
            return result.eventTime.toString(Qt::ISODateWithMs);
        return QJsonValue(QJsonValue::Undefined);
    };
    const auto placeholderValue = [&](QStringView name) {
        return name.startsWith(u'$') ? supplied(name.sliced(1)) : object.valueAtPath(name);
    };
    const std::optional<SummaryTemplate> &summary = match.event->summary;
    result.summary = summary ? summary->render(placeholderValue) : event.name;
}

} // namespace

Decoder::Decoder(QList<ProviderProfile> profiles)
    : m_rules(std::make_shared<const DecoderRules>(std::move(profiles)))
{
}

const QList<ProviderProfile> &Decoder::profiles() const
{
    return m_rules->profiles;
}

DecodedEvent Decoder::decode(const Http::CapturedRequest &request, Detail detail) const
{
    return decode(request.headers, request.bodyView(), detail);
}

DecodedEvent Decoder::decode(const QList<Http::HeaderField> &headers, QByteArrayView body, Detail detail) const
{
    DecodedEvent result;
    const bool summaryOnly = detail == Detail::Summary;
    parseBody(result, body, detail);
    // The top-level members, which every step below reads (in document order once the key order
    // is known; what a path holds does not depend on it).
    const bool isObject = result.body == DecodedEvent::Body::Object;
    JsonMembers members = isObject ? JsonMembers(result.payload.toObject(), result.keyOrder) : JsonMembers();
    const JsonMembers *objectPointer = isObject ? &members : nullptr;
    const auto findIdentifiersInOrder = [&] {
        if (summaryOnly && isObject) {
            result.keyOrder = scanKeyOrder(body);
            members = JsonMembers(result.payload.toObject(), result.keyOrder);
        }
        result.identifiers = findIdentifiers(members.inOrder(), result.keyOrder);
    };
    if (!summaryOnly)
        findIdentifiersInOrder();

    const DetectionInputs inputs = readInputs(*m_rules, headers, objectPointer);
    QList<Candidate> best;
    for (const PreparedEventType &event : m_rules->events) {
        Candidate strongest;
        for (const PreparedRule &rule : event.rules) {
            Candidate candidate = evaluate(event, rule, inputs, objectPointer);
            if (candidate.confidence > strongest.confidence)
                strongest = std::move(candidate);
        }
        if (strongest.confidence == Confidence::None)
            continue;
        if (!best.isEmpty() && strongest.confidence > best.constFirst().confidence)
            best.clear();
        if (best.isEmpty() || strongest.confidence == best.constFirst().confidence)
            best.append(std::move(strongest));
    }
    // Summary: the identifiers (in document order) only where the summary or the entity id
    // can come from them.
    if (summaryOnly
        && (best.isEmpty() || !best.constFirst().event->event->documented || best.constFirst().event->summaryNamesIdentifiers))
        findIdentifiersInOrder();
    if (best.isEmpty()) {
        describeUnmatched(result);
        return result;
    }
    if (best.size() > 1) {
        QStringList names;
        for (const Candidate &candidate : std::as_const(best))
            names.append(candidate.event->event->name);
        addProblem(result, EventProblem::Severity::Warning, QStringLiteral("ambiguous-match"),
                   QStringLiteral("The payload matches several event types with %1 confidence (%2); the first was chosen.")
                       .arg(confidenceName(best.constFirst().confidence), names.join(QStringLiteral(", "))));
    }
    applyMatch(result, best.constFirst(), members, !summaryOnly);
    return result;
}

} // namespace Events
