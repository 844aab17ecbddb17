#include "events/profileparser.h"

#include "events/payload.h"
#include "events/summarytemplate.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <optional>

namespace Events {

namespace {

// Collects the first problem; every reader returns a harmless default once one is recorded, so
// the parse can run to a checkpoint and stop there.
class Reader final
{
public:
    std::optional<ProfileError> error;

    bool failed() const { return error.has_value(); }

    void fail(const QString &code, const QString &path, const QString &message)
    {
        if (error)
            return;
        ProfileError e;
        e.code = code;
        e.path = path;
        e.message = message;
        error = e;
    }

    static QString join(const QString &path, const QString &key) { return path.isEmpty() ? key : path + u'.' + key; }
    static QString index(const QString &path, qsizetype i) { return path + u'[' + QString::number(i) + u']'; }

    // Members not in allowed are typos more often than extensions; "$comment" or "_note" keys
    // are free for notes.
    void checkMembers(const QJsonObject &object, const QString &path, std::initializer_list<QStringView> allowed)
    {
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString &key = it.key();
            if (key.startsWith(u'$') || key.startsWith(u'_'))
                continue;
            if (std::find(allowed.begin(), allowed.end(), QStringView(key)) == allowed.end()) {
                QStringList names;
                for (QStringView name : allowed)
                    names.append(name.toString());
                fail(QStringLiteral("unknown-member"), join(path, key),
                     QStringLiteral("unknown member \"%1\" (expected one of: %2)").arg(key, names.join(QStringLiteral(", "))));
            }
        }
    }

    QJsonValue member(const QJsonObject &object, const QString &path, const QString &key, bool required,
                      QJsonValue::Type type, const char *typeLabel)
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined()) {
            if (required)
                fail(QStringLiteral("missing-member"), join(path, key), QStringLiteral("the member \"%1\" is missing").arg(key));
            return value;
        }
        if (value.type() != type) {
            fail(QStringLiteral("wrong-type"), join(path, key),
                 QStringLiteral("\"%1\" must be %2, not %3").arg(key, QLatin1StringView(typeLabel), jsonTypeName(value)));
            return QJsonValue(QJsonValue::Undefined);
        }
        return value;
    }

    QString string(const QJsonObject &object, const QString &path, const QString &key, bool required)
    {
        return member(object, path, key, required, QJsonValue::String, "a string").toString();
    }

    bool boolean(const QJsonObject &object, const QString &path, const QString &key, bool fallback)
    {
        return member(object, path, key, false, QJsonValue::Bool, "true or false").toBool(fallback);
    }

    QJsonObject object(const QJsonObject &object, const QString &path, const QString &key, bool required)
    {
        return member(object, path, key, required, QJsonValue::Object, "an object").toObject();
    }

    QJsonArray array(const QJsonObject &object, const QString &path, const QString &key, bool required)
    {
        return member(object, path, key, required, QJsonValue::Array, "an array").toArray();
    }

    QStringList strings(const QJsonObject &object, const QString &path, const QString &key, bool required,
                        bool nonEmpty = false)
    {
        const QJsonArray values = array(object, path, key, required);
        QStringList result;
        for (qsizetype i = 0; i < values.size(); ++i) {
            if (!values.at(i).isString()) {
                fail(QStringLiteral("wrong-type"), index(join(path, key), i),
                     QStringLiteral("the items of \"%1\" must be strings, not %2").arg(key, jsonTypeName(values.at(i))));
                return {};
            }
            result.append(values.at(i).toString());
        }
        if (nonEmpty && result.isEmpty() && object.contains(key))
            fail(QStringLiteral("bad-value"), join(path, key), QStringLiteral("\"%1\" must not be empty").arg(key));
        return result;
    }

    // An array of objects, each read by read(reader, object, path); a required one may not be empty.
    template<typename Item, typename ReadItem>
    QList<Item> objects(const QJsonObject &object, const QString &path, const QString &key, bool required,
                        const QString &itemLabel, ReadItem read)
    {
        const QString listPath = join(path, key);
        const QJsonArray items = array(object, path, key, required);
        if (!failed() && required && items.isEmpty())
            fail(QStringLiteral("bad-value"), listPath, QStringLiteral("\"%1\" needs at least one %2").arg(key, itemLabel));
        QList<Item> result;
        for (qsizetype i = 0; i < items.size() && !failed(); ++i) {
            const QString itemPath = index(listPath, i);
            if (!items.at(i).isObject())
                fail(QStringLiteral("wrong-type"), itemPath,
                     QStringLiteral("a %1 must be an object, not %2").arg(itemLabel, jsonTypeName(items.at(i))));
            else
                result.append(read(*this, items.at(i).toObject(), itemPath));
        }
        return result;
    }

    // One of choices, or fallback when absent.
    QString choice(const QJsonObject &object, const QString &path, const QString &key, const QStringList &choices,
                   const QString &fallback, const QString &code = QStringLiteral("bad-value"))
    {
        const bool required = fallback.isEmpty();
        const QString value = string(object, path, key, required);
        if (failed() || (!object.contains(key) && !required))
            return fallback;
        if (!choices.contains(value)) {
            fail(code, join(path, key),
                 QStringLiteral("\"%1\" is \"%2\"; expected one of: %3").arg(key, value, choices.join(QStringLiteral(", "))));
        }
        return value;
    }
};

Confidence confidenceFromName(const QString &name)
{
    if (name == u"low")
        return Confidence::Low;
    if (name == u"high")
        return Confidence::High;
    if (name == u"certain")
        return Confidence::Certain;
    return Confidence::Medium;
}

DetectionRule readRule(Reader &reader, const QJsonObject &object, const QString &path)
{
    DetectionRule rule;
    const QString kind = reader.choice(object, path, QStringLiteral("kind"),
                                       {QStringLiteral("header"), QStringLiteral("field"), QStringLiteral("shape")},
                                       QString(), QStringLiteral("unknown-rule-kind"));
    if (reader.failed())
        return rule;
    const QString confidenceKey = QStringLiteral("confidence");
    const QStringList confidences{QStringLiteral("low"), QStringLiteral("medium"), QStringLiteral("high"), QStringLiteral("certain")};
    if (kind == u"header") {
        reader.checkMembers(object, path, {u"kind", u"headers", u"values", u"confidence", u"assumption"});
        rule.kind = DetectionRule::Kind::Header;
        rule.headers = reader.strings(object, path, QStringLiteral("headers"), true, true);
        rule.values = reader.strings(object, path, QStringLiteral("values"), true, true);
        rule.confidence = confidenceFromName(reader.choice(object, path, confidenceKey, confidences, QStringLiteral("certain")));
    } else if (kind == u"field") {
        reader.checkMembers(object, path, {u"kind", u"fields", u"values", u"confidence", u"assumption"});
        rule.kind = DetectionRule::Kind::FieldValue;
        rule.fields = reader.strings(object, path, QStringLiteral("fields"), true, true);
        rule.values = reader.strings(object, path, QStringLiteral("values"), true, true);
        rule.confidence = confidenceFromName(reader.choice(object, path, confidenceKey, confidences, QStringLiteral("high")));
    } else {
        reader.checkMembers(object, path, {u"kind", u"required", u"confidence", u"assumption"});
        rule.kind = DetectionRule::Kind::Shape;
        rule.required = reader.strings(object, path, QStringLiteral("required"), true, true);
        rule.confidence = confidenceFromName(reader.choice(object, path, confidenceKey, confidences, QStringLiteral("medium")));
    }
    rule.assumption = reader.string(object, path, QStringLiteral("assumption"), false);
    return rule;
}

FieldSpec readField(Reader &reader, const QJsonObject &object, const QString &path)
{
    FieldSpec field;
    reader.checkMembers(object, path, {u"name", u"type", u"description", u"required"});
    field.name = reader.string(object, path, QStringLiteral("name"), true);
    const QJsonValue type = object.value(QStringLiteral("type"));
    const QString typePath = Reader::join(path, QStringLiteral("type"));
    if (type.isString()) {
        field.types = {type.toString()};
    } else if (type.isArray()) {
        field.types = reader.strings(object, path, QStringLiteral("type"), true, true);
    } else if (type.isUndefined()) {
        reader.fail(QStringLiteral("missing-member"), typePath, QStringLiteral("the member \"type\" is missing"));
    } else {
        reader.fail(QStringLiteral("wrong-type"), typePath,
                    QStringLiteral("\"type\" must be a string or an array of strings, not %1").arg(jsonTypeName(type)));
    }
    for (const QString &name : std::as_const(field.types)) {
        if (!knownFieldTypes().contains(name)) {
            reader.fail(QStringLiteral("unknown-field-type"), typePath,
                        QStringLiteral("unknown field type \"%1\" (known: %2)").arg(name, knownFieldTypes().join(QStringLiteral(", "))));
        }
    }
    field.description = reader.string(object, path, QStringLiteral("description"), false);
    field.required = reader.boolean(object, path, QStringLiteral("required"), true);
    return field;
}

void checkTemplate(Reader &reader, const QString &text, const QString &path, const QStringList &allowed,
                   const QString &allowedLabel)
{
    const auto parsed = SummaryTemplate::parse(text);
    if (!parsed) {
        reader.fail(QStringLiteral("bad-template"), path, QStringLiteral("bad template \"%1\": %2").arg(text, parsed.error()));
        return;
    }
    for (const SummaryTemplate::Placeholder &placeholder : parsed->placeholders()) {
        const QString root = placeholder.name.section(u'.', 0, 0);
        if (!allowed.contains(placeholder.name) && !allowed.contains(root)) {
            reader.fail(QStringLiteral("bad-template"), path,
                        QStringLiteral("bad template placeholder {%1}: %2").arg(placeholder.name, allowedLabel));
            return;
        }
    }
}

LifecycleRule readLifecycle(Reader &reader, const QJsonObject &object, const QString &path)
{
    LifecycleRule rule;
    reader.checkMembers(object, path, {u"after", u"notAfter", u"once", u"onceSentence", u"notAfterSentence"});
    rule.after = reader.strings(object, path, QStringLiteral("after"), false);
    rule.notAfter = reader.strings(object, path, QStringLiteral("notAfter"), false);
    rule.once = reader.boolean(object, path, QStringLiteral("once"), false);
    rule.onceSentence = reader.string(object, path, QStringLiteral("onceSentence"), false);
    rule.notAfterSentence = reader.string(object, path, QStringLiteral("notAfterSentence"), false);
    const QStringList names{QStringLiteral("$entity"), QStringLiteral("$entityId"), QStringLiteral("$event"), QStringLiteral("$other")};
    const QString label = QStringLiteral("lifecycle sentences may use {$entity}, {$entityId}, {$event} and {$other}");
    checkTemplate(reader, rule.onceSentence, Reader::join(path, QStringLiteral("onceSentence")), names, label);
    checkTemplate(reader, rule.notAfterSentence, Reader::join(path, QStringLiteral("notAfterSentence")), names, label);
    return rule;
}

QString slug(const QString &name)
{
    QString out;
    for (const QChar c : name) {
        if (c.isLetterOrNumber())
            out.append(c.toLower());
        else if (!out.isEmpty() && !out.endsWith(u'-'))
            out.append(u'-');
    }
    while (out.endsWith(u'-'))
        out.chop(1);
    return out;
}

EventTypeSpec readEvent(Reader &reader, const QJsonObject &object, const QString &path)
{
    EventTypeSpec event;
    reader.checkMembers(object, path, {u"id", u"name", u"documented", u"entity", u"entityIdFields", u"eventIdFields",
                                       u"timestampFields", u"detect", u"fields", u"unnamedFields", u"summary",
                                       u"lifecycle", u"assumptions"});
    event.name = reader.string(object, path, QStringLiteral("name"), true);
    event.id = object.contains(QStringLiteral("id")) ? reader.string(object, path, QStringLiteral("id"), true) : slug(event.name);
    event.documented = reader.boolean(object, path, QStringLiteral("documented"), false);
    event.entity = reader.string(object, path, QStringLiteral("entity"), false);
    event.entityIdFields = reader.strings(object, path, QStringLiteral("entityIdFields"), false);
    event.eventIdFields = reader.strings(object, path, QStringLiteral("eventIdFields"), false);
    event.timestampFields = reader.strings(object, path, QStringLiteral("timestampFields"), false);
    event.assumptions = reader.strings(object, path, QStringLiteral("assumptions"), false);
    event.detect = reader.objects<DetectionRule>(object, path, QStringLiteral("detect"), true,
                                                 QStringLiteral("detection rule"), readRule);
    event.fields = reader.objects<FieldSpec>(object, path, QStringLiteral("fields"), false, QStringLiteral("field"), readField);
    const QString unnamedPath = Reader::join(path, QStringLiteral("unnamedFields"));
    const QJsonObject unnamed = reader.object(object, path, QStringLiteral("unnamedFields"), false);
    if (!unnamed.isEmpty()) {
        reader.checkMembers(unnamed, unnamedPath, {u"types", u"description"});
        event.unnamedFieldTypes = reader.strings(unnamed, unnamedPath, QStringLiteral("types"), true, true);
        event.unnamedFieldsDescription = reader.string(unnamed, unnamedPath, QStringLiteral("description"), false);
        for (const QString &type : std::as_const(event.unnamedFieldTypes)) {
            if (!knownFieldTypes().contains(type))
                reader.fail(QStringLiteral("unknown-field-type"), Reader::join(unnamedPath, QStringLiteral("types")),
                            QStringLiteral("unknown field type \"%1\" (known: %2)").arg(type, knownFieldTypes().join(QStringLiteral(", "))));
        }
    }
    event.summary = reader.string(object, path, QStringLiteral("summary"), true);
    if (!reader.failed()) {
        QStringList allowed{QStringLiteral("$event"), QStringLiteral("$entity"), QStringLiteral("$entityId"),
                            QStringLiteral("$identifiers"), QStringLiteral("$eventTime")};
        QStringList documented;
        for (const FieldSpec &field : std::as_const(event.fields))
            documented.append(field.name);
        allowed += documented;
        checkTemplate(reader, event.summary, Reader::join(path, QStringLiteral("summary")), allowed,
                      documented.isEmpty()
                          ? QStringLiteral("this event type documents no fields; use $event, $entity, $entityId, $identifiers or $eventTime")
                          : QStringLiteral("not a documented field (%1) nor $event, $entity, $entityId, $identifiers, $eventTime")
                                .arg(documented.join(QStringLiteral(", "))));
    }
    const QJsonObject lifecycle = reader.object(object, path, QStringLiteral("lifecycle"), false);
    if (!reader.failed())
        event.lifecycle = readLifecycle(reader, lifecycle, Reader::join(path, QStringLiteral("lifecycle")));
    return event;
}

void checkReferences(Reader &reader, const ProviderProfile &profile)
{
    QStringList seen;
    for (qsizetype i = 0; i < profile.events.size(); ++i) {
        const EventTypeSpec &event = profile.events.at(i);
        const QString path = Reader::index(QStringLiteral("events"), i);
        const QString key = normalizedName(event.name);
        if (seen.contains(key) || seen.contains(normalizedName(event.id))) {
            reader.fail(QStringLiteral("duplicate-event"), path, QStringLiteral("the event type \"%1\" is defined twice").arg(event.name));
            return;
        }
        seen.append(key);
        seen.append(normalizedName(event.id));
        const auto checkList = [&](const QStringList &names, const QString &member) {
            for (const QString &name : names) {
                if (!profile.eventType(name))
                    reader.fail(QStringLiteral("unknown-event"), path + QStringLiteral(".lifecycle.") + member,
                                QStringLiteral("\"%1\" names no event type of this profile").arg(name));
            }
        };
        checkList(event.lifecycle.after, QStringLiteral("after"));
        checkList(event.lifecycle.notAfter, QStringLiteral("notAfter"));
    }
}

SignatureDefaults readSignature(Reader &reader, const QJsonObject &object, const QString &path)
{
    SignatureDefaults signature;
    reader.checkMembers(object, path, {u"scheme", u"algorithm", u"signatureHeaders", u"covered", u"digest", u"keySource", u"notes"});
    signature.scheme = reader.choice(object, path, QStringLiteral("scheme"), {QStringLiteral("cavage"), QStringLiteral("rfc9421")}, QString());
    signature.algorithm = reader.string(object, path, QStringLiteral("algorithm"), false);
    signature.signatureHeaders = reader.strings(object, path, QStringLiteral("signatureHeaders"), false);
    signature.covered = reader.strings(object, path, QStringLiteral("covered"), false);
    signature.notes = reader.string(object, path, QStringLiteral("notes"), false);
    const QString digestPath = Reader::join(path, QStringLiteral("digest"));
    const QJsonObject digest = reader.object(object, path, QStringLiteral("digest"), false);
    reader.checkMembers(digest, digestPath, {u"header", u"algorithm"});
    signature.digestHeader = reader.string(digest, digestPath, QStringLiteral("header"), !digest.isEmpty());
    signature.digestAlgorithm = reader.string(digest, digestPath, QStringLiteral("algorithm"), !digest.isEmpty());
    const QString keyPath = Reader::join(path, QStringLiteral("keySource"));
    const QJsonObject key = reader.object(object, path, QStringLiteral("keySource"), false);
    if (!key.isEmpty()) {
        reader.checkMembers(key, keyPath, {u"kind", u"location"});
        signature.keySourceKind = reader.choice(key, keyPath, QStringLiteral("kind"),
                                                {QStringLiteral("jwks-url"), QStringLiteral("jwks-file"), QStringLiteral("secret")}, QString());
        signature.keySource = reader.string(key, keyPath, QStringLiteral("location"), true);
    }
    return signature;
}

std::pair<int, int> lineAndColumn(QByteArrayView json, qsizetype offset)
{
    int line = 1;
    int column = 1;
    for (qsizetype i = 0; i < qMin(offset, json.size()); ++i) {
        if (json.at(i) == '\n') {
            ++line;
            column = 1;
        } else if ((uchar(json.at(i)) & 0xC0) != 0x80) { // count characters, not UTF-8 continuation bytes
            ++column;
        }
    }
    return {line, column};
}

} // namespace

std::expected<ProviderProfile, ProfileError> ProfileParser::parse(QByteArrayView json, const QString &file)
{
    const auto failWith = [&file](ProfileError error) {
        error.file = file;
        return std::unexpected(error);
    };
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        ProfileError error;
        error.code = QStringLiteral("json-syntax");
        error.offset = parseError.offset;
        std::tie(error.line, error.column) = lineAndColumn(json, parseError.offset);
        error.message = QStringLiteral("JSON syntax error at offset %1: %2").arg(parseError.offset).arg(parseError.errorString());
        return failWith(error);
    }
    if (!document.isObject()) {
        ProfileError error;
        error.code = QStringLiteral("not-an-object");
        error.message = QStringLiteral("a provider profile must be a JSON object");
        return failWith(error);
    }
    const QJsonObject root = document.object();
    Reader reader;
    ProviderProfile profile;
    profile.source = file;
    reader.checkMembers(root, QString(), {u"format", u"id", u"name", u"description", u"documentation", u"signature", u"events"});
    const QJsonValue format = reader.member(root, QString(), QStringLiteral("format"), false, QJsonValue::Double, "a number");
    profile.format = format.toInt(1);
    if (!reader.failed() && profile.format != 1)
        reader.fail(QStringLiteral("unsupported-format"), QStringLiteral("format"),
                    QStringLiteral("format %1 is not supported (this Hookscope reads format 1)").arg(format.toDouble()));
    profile.id = reader.string(root, QString(), QStringLiteral("id"), true);
    profile.name = reader.string(root, QString(), QStringLiteral("name"), true);
    profile.description = reader.string(root, QString(), QStringLiteral("description"), false);
    profile.documentation = reader.string(root, QString(), QStringLiteral("documentation"), false);
    const QJsonObject signature = reader.object(root, QString(), QStringLiteral("signature"), false);
    if (!signature.isEmpty())
        profile.signature = readSignature(reader, signature, QStringLiteral("signature"));
    profile.events = reader.objects<EventTypeSpec>(root, QString(), QStringLiteral("events"), true,
                                                   QStringLiteral("event type"), readEvent);
    if (!reader.failed())
        checkReferences(reader, profile);
    if (reader.error)
        return failWith(*reader.error);
    return profile;
}

} // namespace Events
