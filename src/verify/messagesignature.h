#pragma once

#include "verify/structuredfields.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <expected>
#include <optional>

namespace Http {
struct CapturedRequest;
}

namespace Verify {

/// One RFC 9421 signature: a label present in Signature-Input (and, normally, in Signature).
struct MessageSignature
{
    QByteArray label;
    SfInnerList input;            // covered component identifiers + signature parameters (§2.3)
    QByteArray signatureParams;   // the serialized inner list: the @signature-params value
    QByteArray signature;         // the decoded Signature member (§4.2)
    std::optional<qint64> created;
    std::optional<qint64> expires;
    std::optional<QByteArray> nonce;
    std::optional<QByteArray> alg;
    std::optional<QByteArray> keyid;
    std::optional<QByteArray> tag;
    QString error; // non-empty: this label is malformed (one sentence)
};

/// The RFC 9421 signatures of a message, or why the fields could not be read at all.
struct MessageSignatureSet
{
    QList<MessageSignature> signatures;
    QString error;                // Signature-Input or Signature is not a valid SF Dictionary
    bool present = false;         // a Signature-Input or Signature field exists
};

// RFC 9421 §4.1/§4.2: Signature-Input and Signature are SF Dictionaries (field lines joined with
// ", " first, RFC 8941 §4.2). Each Signature-Input member must be an Inner List of String items
// with valid parameters (§2.3: created/expires Integers, nonce/keyid/tag Strings, alg a String)
// and have a Signature member that is a Byte Sequence.
MessageSignatureSet parseMessageSignatures(const Http::CapturedRequest &request);
MessageSignatureSet parseMessageSignatures(const QByteArray &signatureInput, const QByteArray &signature);

} // namespace Verify
