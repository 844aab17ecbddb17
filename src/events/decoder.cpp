#include "events/decoder.h"

#include "events/summarytemplate.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <openssl/evp.h>

#include <algorithm>

namespace Events {

namespace {

struct Candidate
{
    const ProviderProfile *profile = nullptr;
    const EventTypeSpec *event = nullptr;
    const DetectionRule *rule = nullptr;
    Confidence confidence = Confidence::None;
    QString detail;
    QString matchedField; // field rules: the path that carried the event type
};

bool isNameSeparator(QChar c)
{
    return c == u' ' || c == u'_' || c == u'.' || c == u'-' || c == u':' || c == u'/';
}

// normalizedName(a) == normalizedName(b), without building either: this runs for every header
// and detection value of every event type on every capture.
bool sameNormalizedName(QStringView a, QStringView b)
{
    qsizetype i = 0;
    qsizetype j = 0;
    for (;;) {
        while (i < a.size() && isNameSeparator(a[i]))
            ++i;
        while (j < b.size() && isNameSeparator(b[j]))
            ++j;
        if (i == a.size() || j == b.size())
            return i == a.size() && j == b.size();
        if (a[i].toLower() != b[j].toLower())
            return false;
        ++i;
        ++j;
    }
}

bool valueAccepted(QStringView value, const QStringList &accepted)
{
    return std::any_of(accepted.cbegin(), accepted.cend(),
                       [value](const QString &candidate) { return sameNormalizedName(value, candidate); });
}

bool hasDocumentedType(const EventTypeSpec &event, const QString &path, const QJsonValue &value)
{
    for (const FieldSpec &field : event.fields) {
        if (field.name != path)
            continue;
        for (const QString &type : field.types) {
            if (jsonValueHasType(value, type))
                return true;
        }
        return false;
    }
    return true; // not documented: any type will do
}

Candidate evaluate(const ProviderProfile &profile, const EventTypeSpec &event, const DetectionRule &rule,
                   const QList<Http::HeaderField> &headers, const QJsonObject *object)
{
    Candidate candidate{&profile, &event, &rule, Confidence::None, {}, {}};
    switch (rule.kind) {
    case DetectionRule::Kind::Header: {
        QByteArrayList names;
        names.reserve(rule.headers.size());
        for (const QString &name : rule.headers)
            names.append(name.toUtf8());
        for (const Http::HeaderField &header : headers) {
            for (const QByteArray &name : std::as_const(names)) {
                if (!header.nameIs(name))
                    continue;
                const QString value = QString::fromUtf8(header.value);
                if (valueAccepted(value, rule.values)) {
                    candidate.confidence = rule.confidence;
                    candidate.detail = QStringLiteral("header %1 is \"%2\"").arg(QString::fromUtf8(header.name), value);
                    return candidate;
                }
            }
        }
        break;
    }
    case DetectionRule::Kind::FieldValue:
        if (!object)
            break;
        for (const QString &path : rule.fields) {
            const QJsonValue value = valueAtPath(*object, path);
            if (value.isString() && valueAccepted(value.toString(), rule.values)) {
                candidate.confidence = rule.confidence;
                candidate.detail = QStringLiteral("field \"%1\" is \"%2\"").arg(path, value.toString());
                candidate.matchedField = path;
                return candidate;
            }
        }
        break;
    case DetectionRule::Kind::Shape: {
        if (!object)
            break;
        bool typesMatch = true;
        for (const QString &path : rule.required) {
            const QJsonValue value = valueAtPath(*object, path);
            if (value.isUndefined())
                return candidate;
            typesMatch = typesMatch && hasDocumentedType(event, path, value);
        }
        // Present but of other types: still a hint, a weaker one.
        candidate.confidence = typesMatch ? rule.confidence : Confidence(qMax(int(rule.confidence) - 1, int(Confidence::Low)));
        candidate.detail = QStringLiteral("payload has %1%2")
                               .arg(rule.required.join(QStringLiteral(", ")),
                                    typesMatch ? QString() : QStringLiteral(" (not all of the documented types)"));
        return candidate;
    }
    }
    return candidate;
}

void addProblem(DecodedEvent &result, EventProblem::Severity severity, const QString &code, const QString &message)
{
    result.problems.append(EventProblem{severity, code, message});
}

QString firstScalarAt(const QJsonObject &object, const QStringList &paths, QString *foundPath = nullptr)
{
    for (const QString &path : paths) {
        const QJsonValue value = valueAtPath(object, path);
        if ((value.isString() && !value.toString().isEmpty()) || value.isDouble()) {
            if (foundPath)
                *foundPath = path;
            return formatValue(value);
        }
    }
    return QString();
}

void checkFields(DecodedEvent &result, const EventTypeSpec &event, const QJsonObject &object, const Candidate &match)
{
    QStringList documentedRoots;
    for (const FieldSpec &spec : event.fields) {
        documentedRoots.append(spec.name.section(u'.', 0, 0));
        FieldCheck check;
        check.name = spec.name;
        check.expectedType = spec.types.join(u'|');
        check.description = spec.description;
        check.value = valueAtPath(object, spec.name);
        check.actualType = jsonTypeName(check.value);
        if (check.value.isUndefined()) {
            check.status = spec.required ? FieldStatus::Missing : FieldStatus::Absent;
            if (spec.required)
                addProblem(result, EventProblem::Severity::Error, QStringLiteral("field-missing"),
                           QStringLiteral("The documented field \"%1\" is missing.").arg(spec.name));
        } else if (!hasDocumentedType(event, spec.name, check.value)) {
            check.status = FieldStatus::WrongType;
            addProblem(result, EventProblem::Severity::Error, QStringLiteral("field-wrong-type"),
                       QStringLiteral("The field \"%1\" should be %2 but is %3.").arg(spec.name, check.expectedType, check.actualType));
        }
        result.fields.append(check);
    }
    for (const QString &key : keysInOrder(object, result.keyOrder, QString())) {
        if (documentedRoots.contains(key))
            continue;
        FieldCheck check;
        check.name = key;
        check.value = object.value(key);
        check.actualType = jsonTypeName(check.value);
        check.status = FieldStatus::Undocumented;
        const bool unnamed = std::any_of(event.unnamedFieldTypes.cbegin(), event.unnamedFieldTypes.cend(),
                                         [&](const QString &type) { return jsonValueHasType(check.value, type); });
        if (!event.documented) {
            check.note = QStringLiteral("the provider does not document this payload");
        } else if (key == match.matchedField) {
            check.note = QStringLiteral("carries the event type (%1)").arg(match.rule->assumption.isEmpty() ? QStringLiteral("detection rule") : QStringLiteral("assumed"));
        } else if (unnamed) {
            check.note = event.unnamedFieldsDescription;
        } else {
            check.status = FieldStatus::Unexpected;
            addProblem(result, EventProblem::Severity::Warning, QStringLiteral("field-unexpected"),
                       QStringLiteral("The field \"%1\" is not documented for %2.").arg(key, event.name));
        }
        result.fields.append(check);
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

void parseBody(DecodedEvent &result, QByteArrayView body, bool tables)
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
    result.keyOrder = scanKeyOrder(body);
    result.payload = document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array());
    result.body = document.isObject() ? DecodedEvent::Body::Object : DecodedEvent::Body::OtherJson;
    if (tables)
        result.tables = findTables(result.payload, result.keyOrder);
    result.identifiers = findIdentifiers(result.payload, result.keyOrder);
    if (!document.isObject())
        addProblem(result, EventProblem::Severity::Warning, QStringLiteral("body-not-object"),
                   QStringLiteral("The body is a JSON %1, not an object.").arg(jsonTypeName(result.payload)));
}

void applyMatch(DecodedEvent &result, const Candidate &match)
{
    const EventTypeSpec &event = *match.event;
    result.providerId = match.profile->id;
    result.providerName = match.profile->name;
    result.eventType = event.name;
    result.eventTypeId = event.id;
    result.documented = event.documented;
    result.matchedBy = match.rule->kind == DetectionRule::Kind::Header       ? MatchKind::Header
                       : match.rule->kind == DetectionRule::Kind::FieldValue ? MatchKind::FieldValue
                                                                             : MatchKind::Shape;
    result.confidence = match.confidence;
    result.matchDetail = match.detail;
    result.matchAssumption = match.rule->assumption;
    result.entity = event.entity;
    result.lifecycle = event.lifecycle;
    if (!match.rule->assumption.isEmpty())
        addProblem(result, EventProblem::Severity::Info, QStringLiteral("assumed-detection"),
                   QStringLiteral("Recognised by an assumed rule: %1").arg(match.rule->assumption));
    if (!event.documented)
        addProblem(result, EventProblem::Severity::Info, QStringLiteral("undocumented-payload"),
                   QStringLiteral("The provider does not document the %1 payload; its fields are shown as found.").arg(event.name));

    const QJsonObject object = result.payload.toObject();
    if (result.body == DecodedEvent::Body::Object) {
        checkFields(result, event, object, match);
        result.entityId = firstScalarAt(object, event.entityIdFields, &result.entityIdField);
        if (result.entityId.isEmpty() && !event.documented && !result.identifiers.isEmpty()) {
            result.entityId = result.identifiers.constFirst().value;
            result.entityIdField = result.identifiers.constFirst().path;
        }
        result.eventId = firstScalarAt(object, event.eventIdFields);
        for (const QString &path : event.timestampFields) {
            const QDateTime time = dateTimeFromJson(valueAtPath(object, path));
            if (time.isValid()) {
                result.eventTime = time;
                result.eventTimeField = path;
                break;
            }
        }
    }
    const auto summary = SummaryTemplate::parse(event.summary); // checked when the profile loaded
    // Only the $values the template names: the time and identifier texts cost more than the
    // rest of the summary, and most templates use neither.
    QHash<QString, QJsonValue> values;
    const auto supply = [&](const QString &name) {
        if (name == u"event")
            values.insert(name, event.name);
        else if (name == u"entity" && !event.entity.isEmpty())
            values.insert(name, event.entity);
        else if (name == u"entityId" && !result.entityId.isEmpty())
            values.insert(name, result.entityId);
        else if (name == u"identifiers" && !result.identifiers.isEmpty())
            values.insert(name, identifiersText(result.identifiers));
        else if (name == u"eventTime" && result.eventTime.isValid())
            values.insert(name, result.eventTime.toString(Qt::ISODateWithMs));
    };
    if (summary) {
        for (const SummaryTemplate::Placeholder &placeholder : summary->placeholders()) {
            if (placeholder.name.startsWith(u'$'))
                supply(placeholder.name.mid(1));
        }
    }
    result.summary = summary ? summary->render(object, values) : event.name;
    if (result.body == DecodedEvent::Body::NotJson || result.body == DecodedEvent::Body::Empty)
        result.summary = event.name + QStringLiteral(": ") + bodyDescription(result);
}

} // namespace

Decoder::Decoder(QList<ProviderProfile> profiles)
    : m_profiles(std::move(profiles))
{
}

DecodedEvent Decoder::decode(const Http::CapturedRequest &request, Detail detail) const
{
    return decode(request.headers, request.bodyView(), detail);
}

DecodedEvent Decoder::decode(const QList<Http::HeaderField> &headers, QByteArrayView body, Detail detail) const
{
    DecodedEvent result;
    parseBody(result, body, detail == Detail::Full);
    const QJsonObject object = result.payload.toObject();
    const QJsonObject *objectPointer = result.body == DecodedEvent::Body::Object ? &object : nullptr;

    QList<Candidate> best;
    for (const ProviderProfile &profile : m_profiles) {
        for (const EventTypeSpec &event : profile.events) {
            Candidate strongest;
            for (const DetectionRule &rule : event.detect) {
                const Candidate candidate = evaluate(profile, event, rule, headers, objectPointer);
                if (candidate.confidence > strongest.confidence)
                    strongest = candidate;
            }
            if (strongest.confidence == Confidence::None)
                continue;
            if (!best.isEmpty() && strongest.confidence > best.constFirst().confidence)
                best.clear();
            if (best.isEmpty() || strongest.confidence == best.constFirst().confidence)
                best.append(strongest);
        }
    }
    if (best.isEmpty()) {
        describeUnmatched(result);
        return result;
    }
    if (best.size() > 1) {
        QStringList names;
        for (const Candidate &candidate : std::as_const(best))
            names.append(candidate.event->name);
        addProblem(result, EventProblem::Severity::Warning, QStringLiteral("ambiguous-match"),
                   QStringLiteral("The payload matches several event types with %1 confidence (%2); the first was chosen.")
                       .arg(confidenceName(best.constFirst().confidence), names.join(QStringLiteral(", "))));
    }
    applyMatch(result, best.constFirst());
    return result;
}

} // namespace Events
