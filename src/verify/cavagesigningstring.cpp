#include "verify/cavagesigningstring.h"

namespace Verify {

namespace {

QByteArray parameter(const CavageParameters &params, QByteArrayView name)
{
    for (const auto &[key, value] : params.all) {
        if (key == name)
            return value;
    }
    return {};
}

bool hasParameter(const CavageParameters &params, QByteArrayView name)
{
    for (const auto &entry : params.all) {
        if (entry.first == name)
            return true;
    }
    return false;
}

} // namespace

std::expected<CavageSigningString, Problem> buildCavageSigningString(const VerifierInput &input,
                                                                     const CavageParameters &params)
{
    CavageSigningString result;
    for (qsizetype i = 0; i < params.headers.size(); ++i) {
        const QByteArray &name = params.headers[i];
        CoveredComponent component;
        component.name = QString::fromLatin1(name);
        QByteArray line;
        if (name == "(request-target)") {
            component.value = input.method.toLower() + ' ' + input.target;
            component.fromRequestLine = true;
        } else if (name == "request-line") {
            // draft-cavage-00..03; joyent still accepts it unless strict
            component.value = input.method + ' ' + input.target + ' ' + (input.request ? input.request->version : QByteArray());
            component.fromRequestLine = true;
        } else if (name == "(created)" || name == "(expires)") {
            const std::optional<qint64> &value = name == "(created)" ? params.created : params.expires;
            if (!value) {
                return std::unexpected(Problem{QStringLiteral("signature-malformed"),
                                               QStringLiteral("The signature covers %1 but has no %2 parameter.")
                                                   .arg(component.name, component.name.mid(1, component.name.size() - 2))});
            }
            component.value = QByteArray::number(*value);
        } else if (name == "(keyid)" || name == "(algorithm)" || name == "(opaque)") {
            const QByteArray key = name.mid(1, name.size() - 2);
            if (!hasParameter(params, key)) {
                return std::unexpected(Problem{QStringLiteral("signature-malformed"),
                                               QStringLiteral("The signature covers %1 but has no such parameter.").arg(component.name)});
            }
            component.value = parameter(params, key);
        } else {
            if (!input.hasField(name)) {
                return std::unexpected(Problem{QStringLiteral("header-missing"),
                                               QStringLiteral("The signature covers the \"%1\" header, which the request does not have.")
                                                   .arg(component.name)});
            }
            component.value = input.value(name);
            if (!input.host || name != "host") {
                for (const Http::HeaderField *field : input.fields(name))
                    component.lines.append(SourceLine{field->lineOffset, field->lineLength});
            }
            const QByteArray node = input.nodeValue(name);
            if (node != input.combinedValue(name))
                component.nodeValue = node;
        }
        line = name + ": " + component.value;
        if (i > 0)
            result.text += '\n';
        result.text += line;
        result.components.append(component);
    }
    return result;
}

} // namespace Verify
