#include "verify/messagesignaturebase.h"

#include "verify/base64.h"

namespace Verify {

namespace {

Problem problem(const char *code, const QString &message)
{
    return Problem{QString::fromLatin1(code), message};
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// The Structured Field type of well-known fields (RFC 9421 §2.1.1 needs the type to re-serialize).
enum class FieldType { Unknown, Item, List, Dictionary };

FieldType knownFieldType(QByteArrayView name)
{
    static const QList<QByteArrayView> dictionaries = {
        "signature-input", "signature", "accept-signature", "content-digest", "repr-digest",
        "want-content-digest", "want-repr-digest", "priority", "example-dict", "cdn-cache-control"};
    static const QList<QByteArrayView> lists = {"cache-status", "proxy-status", "accept-ch", "example-list"};
    if (dictionaries.contains(name))
        return FieldType::Dictionary;
    if (lists.contains(name))
        return FieldType::List;
    return FieldType::Unknown;
}

std::expected<QByteArray, QString> reserializeStructured(QByteArrayView name, const QByteArray &value)
{
    FieldType type = knownFieldType(name);
    if (type == FieldType::Unknown) {
        // Unknown field: the first type that parses (an Item, then a List, then a Dictionary).
        if (parseSfItem(value))
            type = FieldType::Item;
        else if (parseSfList(value))
            type = FieldType::List;
        else
            type = FieldType::Dictionary;
    }
    if (type == FieldType::Item) {
        auto item = parseSfItem(value);
        if (!item)
            return std::unexpected(item.error().message);
        auto out = serializeSfItem(*item);
        return out ? std::expected<QByteArray, QString>(*out) : std::unexpected(out.error().message);
    }
    if (type == FieldType::List) {
        auto list = parseSfList(value);
        if (!list)
            return std::unexpected(list.error().message);
        auto out = serializeSfList(*list);
        return out ? std::expected<QByteArray, QString>(*out) : std::unexpected(out.error().message);
    }
    auto dictionary = parseSfDictionary(value);
    if (!dictionary)
        return std::unexpected(dictionary.error().message);
    auto out = serializeSfDictionary(*dictionary);
    return out ? std::expected<QByteArray, QString>(*out) : std::unexpected(out.error().message);
}

QByteArray formDecode(QByteArrayView text)
{
    QByteArray out;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+') {
            out.append(' ');
        } else if (c == '%' && i + 2 < text.size() + 0 && hexValue(text[i + 1]) >= 0 && hexValue(text[i + 2]) >= 0) {
            out.append(char(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2])));
            i += 2;
        } else {
            out.append(c);
        }
    }
    return out;
}

struct TargetParts
{
    QByteArray authority; // from an absolute-form target, else empty
    QByteArray path;
    std::optional<QByteArray> query;
};

TargetParts splitTarget(const QByteArray &target)
{
    TargetParts parts;
    QByteArray rest = target;
    const qsizetype schemeEnd = rest.indexOf("://");
    if (!rest.startsWith('/') && schemeEnd > 0) {
        rest = rest.mid(schemeEnd + 3);
        const qsizetype slash = rest.indexOf('/');
        const qsizetype question = rest.indexOf('?');
        qsizetype end = slash < 0 ? question : (question < 0 ? slash : qMin(slash, question));
        if (end < 0)
            end = rest.size();
        parts.authority = rest.left(end);
        rest = rest.mid(end);
    }
    const qsizetype question = rest.indexOf('?');
    parts.path = question < 0 ? rest : rest.left(question);
    if (question >= 0)
        parts.query = rest.mid(question + 1);
    if (parts.path.isEmpty())
        parts.path = "/";
    return parts;
}

QByteArray authority(const VerifierInput &input)
{
    const TargetParts parts = splitTarget(input.target);
    QByteArray value = !parts.authority.isEmpty() ? parts.authority : input.combinedValue("host");
    value = value.toLower();
    // §2.2.3: normalized as RFC 9110 §4.2.3 says, so the scheme's default port is dropped
    const QByteArray defaultPort = input.scheme == QLatin1String("https") ? QByteArrayLiteral(":443") : QByteArrayLiteral(":80");
    if (value.endsWith(defaultPort))
        value.chop(defaultPort.size());
    return value;
}

std::expected<QByteArray, Problem> derivedValue(const VerifierInput &input, const SfItem &item)
{
    const QByteArray &name = item.bare.text;
    const TargetParts parts = splitTarget(input.target);
    if (name == "@method")
        return input.method;
    if (name == "@scheme")
        return input.scheme.toLower().toLatin1();
    if (name == "@authority")
        return authority(input);
    if (name == "@request-target")
        return input.target;
    if (name == "@path")
        return parts.path;
    if (name == "@query")
        return QByteArray('?' + parts.query.value_or(QByteArray()));
    if (name == "@target-uri") {
        if (!parts.authority.isEmpty())
            return input.target;
        return input.scheme.toLower().toLatin1() + "://" + authority(input) + input.target;
    }
    if (name == "@query-param") {
        const SfBareItem *wanted = item.parameters.find("name");
        if (!wanted || wanted->type != SfType::String)
            return std::unexpected(problem("signature-malformed", QStringLiteral("\"@query-param\" needs a name parameter (RFC 9421 §2.2.8).")));
        QList<QByteArray> values;
        const QList<QByteArray> pairs = parts.query.value_or(QByteArray()).split('&');
        for (const QByteArray &pair : pairs) {
            if (pair.isEmpty())
                continue;
            const qsizetype equals = pair.indexOf('=');
            const QByteArray key = reencodeQueryComponent(equals < 0 ? pair : pair.left(equals));
            if (key == wanted->text)
                values.append(reencodeQueryComponent(equals < 0 ? QByteArray() : pair.mid(equals + 1)));
        }
        if (values.isEmpty()) {
            return std::unexpected(problem("header-missing", QStringLiteral("The signature covers the query parameter \"%1\", which the request does not have.")
                                                                 .arg(QString::fromLatin1(wanted->text))));
        }
        if (values.size() > 1) {
            return std::unexpected(problem("signature-malformed", QStringLiteral("The query parameter \"%1\" occurs more than once, so it cannot be signed (RFC 9421 §2.2.8).")
                                                                      .arg(QString::fromLatin1(wanted->text))));
        }
        return values.first();
    }
    if (name == "@status")
        return std::unexpected(problem("component-unsupported", QStringLiteral("\"@status\" is a response component and this is a request.")));
    if (name == "@signature-params")
        return std::unexpected(problem("signature-malformed", QStringLiteral("\"@signature-params\" cannot be a covered component (RFC 9421 §2.3).")));
    return std::unexpected(problem("component-unsupported", QStringLiteral("The derived component \"%1\" is not known.").arg(QString::fromLatin1(name))));
}

} // namespace

QByteArray reencodeQueryComponent(QByteArrayView text)
{
    const QByteArray decoded = formDecode(text);
    QByteArray out;
    static const char hex[] = "0123456789ABCDEF";
    for (const char c : decoded) {
        const auto u = static_cast<unsigned char>(c);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '*' || c == '-'
            || c == '.' || c == '_') {
            out.append(c);
        } else {
            out.append('%');
            out.append(hex[u >> 4]);
            out.append(hex[u & 15]);
        }
    }
    return out;
}

std::expected<MessageSignatureBase, Problem> buildSignatureBase(const VerifierInput &input,
                                                                const MessageSignature &signature)
{
    MessageSignatureBase base;
    for (const SfItem &item : signature.input.items) {
        const auto identifier = serializeSfItem(item);
        if (!identifier)
            return std::unexpected(problem("signature-malformed", QStringLiteral("A component identifier cannot be serialized.")));
        CoveredComponent component;
        component.name = QString::fromLatin1(*identifier);
        const QByteArray &name = item.bare.text;
        for (const auto &[key, value] : item.parameters.entries) {
            static const QList<QByteArrayView> known = {"sf", "key", "bs", "tr", "name", "req"};
            if (!known.contains(key))
                return std::unexpected(problem("component-unsupported", QStringLiteral("The component parameter \"%1\" is not known.").arg(QString::fromLatin1(key))));
        }
        if (item.parameters.contains("req")) {
            return std::unexpected(problem("component-unsupported", QStringLiteral("%1 uses \"req\", which binds a response to its request; this is a request (RFC 9421 §2.4).")
                                                                        .arg(component.name)));
        }
        if (name.startsWith('@')) {
            auto value = derivedValue(input, item);
            if (!value)
                return std::unexpected(value.error());
            component.value = *value;
            component.fromRequestLine = name != "@authority" && name != "@target-uri";
            if (!component.fromRequestLine) {
                for (const Http::HeaderField *field : input.fields("host"))
                    component.lines.append(SourceLine{field->lineOffset, field->lineLength});
            }
        } else {
            if (name != name.toLower() || name.isEmpty())
                return std::unexpected(problem("signature-malformed", QStringLiteral("The field name \"%1\" is not lowercase (RFC 9421 §2.1).").arg(QString::fromLatin1(name))));
            const bool trailer = item.parameters.contains("tr");
            QList<const Http::HeaderField *> fields;
            if (trailer) {
                for (const Http::HeaderField &field : input.request->trailers) {
                    if (field.nameIs(name))
                        fields.append(&field);
                }
            } else {
                fields = input.fields(name);
            }
            const bool overridden = !trailer && input.host && name == "host";
            if (fields.isEmpty() && !overridden) {
                return std::unexpected(problem("header-missing", QStringLiteral("The signature covers the \"%1\" %2, which the request does not have.")
                                                                     .arg(QString::fromLatin1(name), trailer ? QStringLiteral("trailer") : QStringLiteral("header"))));
            }
            QByteArray value;
            if (overridden) {
                value = *input.host;
            } else {
                for (qsizetype i = 0; i < fields.size(); ++i) {
                    if (i > 0)
                        value += ", ";
                    value += fields[i]->value.trimmed();
                }
                for (const Http::HeaderField *field : fields)
                    component.lines.append(SourceLine{field->lineOffset, field->lineLength});
            }
            const bool bs = item.parameters.contains("bs");
            if (bs && (item.parameters.contains("sf") || item.parameters.contains("key")))
                return std::unexpected(problem("signature-malformed", QStringLiteral("%1 combines \"bs\" with \"sf\" or \"key\" (RFC 9421 §2.1.3).").arg(component.name)));
            if (bs) {
                // §2.1.3: each field line's value wrapped as a Byte Sequence, joined with ", "
                value.clear();
                for (qsizetype i = 0; i < fields.size(); ++i) {
                    if (i > 0)
                        value += ", ";
                    value += ':' + encodeBase64(fields[i]->value.trimmed()) + ':';
                }
            } else if (const SfBareItem *key = item.parameters.find("key")) {
                // §2.1.2: the Dictionary member, serialized
                const auto dictionary = parseSfDictionary(value);
                if (!dictionary)
                    return std::unexpected(problem("signature-malformed", QStringLiteral("The \"%1\" field is not a Dictionary, but the signature selects a key of it.").arg(QString::fromLatin1(name))));
                const SfMember *member = dictionary->find(key->text);
                if (!member)
                    return std::unexpected(problem("header-missing", QStringLiteral("The \"%1\" field has no member \"%2\".").arg(QString::fromLatin1(name), QString::fromLatin1(key->text))));
                const auto serialized = serializeSfMember(*member);
                if (!serialized)
                    return std::unexpected(problem("signature-malformed", serialized.error().message));
                value = *serialized;
            } else if (item.parameters.contains("sf")) {
                const auto serialized = reserializeStructured(name, value);
                if (!serialized)
                    return std::unexpected(problem("signature-malformed", QStringLiteral("The \"%1\" field is not a valid Structured Field: %2").arg(QString::fromLatin1(name), serialized.error())));
                value = *serialized;
            }
            component.value = value;
        }
        base.text += *identifier + ": " + component.value + '\n';
        base.components.append(component);
    }
    base.text += "\"@signature-params\": " + signature.signatureParams;
    return base;
}

} // namespace Verify
