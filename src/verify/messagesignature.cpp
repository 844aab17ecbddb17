#include "verify/messagesignature.h"

#include "http/capturedrequest.h"

namespace Verify {

namespace {

QByteArray joinedField(const Http::CapturedRequest &request, QByteArrayView name)
{
    QByteArray result;
    const QList<const Http::HeaderField *> fields = request.headersNamed(name);
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (i > 0)
            result += ", ";
        result += fields[i]->value;
    }
    return result;
}

QString readParameters(MessageSignature &signature)
{
    for (const auto &[key, value] : std::as_const(signature.input.parameters.entries)) {
        const QString name = QString::fromLatin1(key);
        if (key == "created" || key == "expires") {
            if (value.type != SfType::Integer)
                return QStringLiteral("the %1 parameter is not an Integer").arg(name);
            (key == "created" ? signature.created : signature.expires) = value.integer;
        } else if (key == "nonce" || key == "alg" || key == "keyid" || key == "tag") {
            if (value.type != SfType::String)
                return QStringLiteral("the %1 parameter is not a String").arg(name);
            std::optional<QByteArray> *target = key == "nonce" ? &signature.nonce
                                                : key == "alg" ? &signature.alg
                                                : key == "keyid" ? &signature.keyid
                                                                 : &signature.tag;
            *target = value.text;
        }
        // other parameters are covered by @signature-params but carry no meaning here
    }
    for (const SfItem &item : std::as_const(signature.input.items)) {
        if (item.bare.type != SfType::String)
            return QStringLiteral("a covered component identifier is not a String (RFC 9421 §2)");
    }
    // §2.5 step 1: a component may be listed only once
    for (qsizetype i = 0; i < signature.input.items.size(); ++i) {
        for (qsizetype j = 0; j < i; ++j) {
            if (signature.input.items[i] == signature.input.items[j])
                return QStringLiteral("the component \"%1\" is covered twice").arg(QString::fromLatin1(signature.input.items[i].bare.text));
        }
    }
    return {};
}

} // namespace

MessageSignatureSet parseMessageSignatures(const Http::CapturedRequest &request)
{
    MessageSignatureSet set;
    if (!request.header("signature-input") && !request.header("signature"))
        return set;
    set = parseMessageSignatures(joinedField(request, "signature-input"), joinedField(request, "signature"));
    set.present = true;
    return set;
}

MessageSignatureSet parseMessageSignatures(const QByteArray &signatureInput, const QByteArray &signatureField)
{
    MessageSignatureSet set;
    set.present = !signatureInput.isEmpty() || !signatureField.isEmpty();
    if (!set.present)
        return set;
    const auto inputs = parseSfDictionary(signatureInput);
    if (!inputs) {
        set.error = QStringLiteral("Signature-Input is not a valid Structured Field Dictionary (offset %1: %2).")
                        .arg(inputs.error().offset)
                        .arg(inputs.error().message);
        return set;
    }
    const auto signatures = parseSfDictionary(signatureField);
    if (!signatures) {
        set.error = QStringLiteral("Signature is not a valid Structured Field Dictionary (offset %1: %2).")
                        .arg(signatures.error().offset)
                        .arg(signatures.error().message);
        return set;
    }
    if (inputs->isEmpty()) {
        set.error = signatureInput.isEmpty() ? QStringLiteral("The request has a Signature field but no Signature-Input.")
                                             : QStringLiteral("Signature-Input has no members.");
        return set;
    }
    for (const auto &[label, member] : inputs->entries) {
        MessageSignature signature;
        signature.label = label;
        const QString name = QString::fromLatin1(label);
        if (!member.isInnerList) {
            signature.error = QStringLiteral("Signature-Input member \"%1\" is not an Inner List.").arg(name);
            set.signatures.append(signature);
            continue;
        }
        signature.input = member.innerList;
        const auto serialized = serializeSfInnerList(member.innerList);
        if (!serialized) {
            signature.error = QStringLiteral("Signature-Input member \"%1\" cannot be serialized: %2").arg(name, serialized.error().message);
            set.signatures.append(signature);
            continue;
        }
        signature.signatureParams = *serialized;
        const QString parameterError = readParameters(signature);
        if (!parameterError.isEmpty()) {
            signature.error = QStringLiteral("Signature-Input member \"%1\": %2.").arg(name, parameterError);
        } else if (const SfMember *value = signatures->find(label); !value) {
            signature.error = QStringLiteral("The Signature field has no member \"%1\".").arg(name);
        } else if (value->isInnerList || value->item.bare.type != SfType::ByteSequence) {
            signature.error = QStringLiteral("Signature member \"%1\" is not a Byte Sequence.").arg(name);
        } else {
            signature.signature = value->item.bare.text;
        }
        set.signatures.append(signature);
    }
    return set;
}

} // namespace Verify
