// findReserializedForm (declared in digest.h): which re-serialization of a body a sender hashed.

#include "verify/digest.h"
#include "verify/jsonstringify.h"

namespace Verify {

namespace {

const QByteArray Bom = QByteArrayLiteral("\xEF\xBB\xBF");

struct Candidate
{
    QString name;
    QByteArray bytes;
};

QList<Candidate> jsonCandidates(QByteArrayView text)
{
    QList<Candidate> candidates;
    const struct
    {
        JsonStringifyOptions options;
        const char *name;
    } forms[] = {
        {{0, false}, "JSON.stringify of the parsed body (compact, original key order)"},
        {{0, true}, "JSON.stringify of the parsed body with keys sorted (compact)"},
        {{2, false}, "JSON.stringify(body, null, 2) of the parsed body (pretty-printed, 2 spaces)"},
        {{4, false}, "JSON.stringify(body, null, 4) of the parsed body (pretty-printed, 4 spaces)"},
        {{2, true}, "the parsed body pretty-printed with 2 spaces and keys sorted"},
        {{4, true}, "the parsed body pretty-printed with 4 spaces and keys sorted"},
    };
    for (const auto &form : forms) {
        auto bytes = jsonStringify(text, form.options);
        if (!bytes)
            return {}; // not JSON: none of the JSON forms apply
        const QString name = QString::fromLatin1(form.name);
        candidates.append({name, *bytes});
        candidates.append({name + QStringLiteral(" followed by a newline"), *bytes + '\n'});
        if (form.options.indent > 0) {
            QByteArray crlf = *bytes;
            crlf.replace("\n", "\r\n");
            candidates.append({name + QStringLiteral(" with CRLF line endings"), crlf});
        }
    }
    return candidates;
}

QList<Candidate> byteCandidates(QByteArrayView body)
{
    const QByteArray raw = body.toByteArray();
    QList<Candidate> candidates;
    if (raw.contains("\r\n")) {
        QByteArray lf = raw;
        lf.replace("\r\n", "\n");
        candidates.append({QStringLiteral("the body with CRLF line endings converted to LF"), lf});
    } else if (raw.contains('\n')) {
        QByteArray crlf = raw;
        crlf.replace("\n", "\r\n");
        candidates.append({QStringLiteral("the body with LF line endings converted to CRLF"), crlf});
    }
    if (raw.endsWith("\r\n"))
        candidates.append({QStringLiteral("the body without its trailing CRLF"), raw.chopped(2)});
    if (raw.endsWith('\n'))
        candidates.append({QStringLiteral("the body without its trailing newline"), raw.chopped(1)});
    else
        candidates.append({QStringLiteral("the body with a trailing newline added"), raw + '\n'});
    if (raw.startsWith(Bom))
        candidates.append({QStringLiteral("the body without its UTF-8 byte order mark"), raw.sliced(Bom.size())});
    else
        candidates.append({QStringLiteral("the body with a UTF-8 byte order mark added"), Bom + raw});
    candidates.append({QStringLiteral("an empty body"), QByteArray()});
    return candidates;
}

} // namespace

std::optional<QString> findReserializedForm(QByteArrayView body, DigestAlgorithm algorithm, QByteArrayView expectedDigest)
{
    QByteArrayView json = body;
    if (json.startsWith(QByteArrayView(Bom)))
        json = json.sliced(Bom.size()); // body-parser decodes with a BOM-stripping decoder
    QList<Candidate> candidates = jsonCandidates(json);
    candidates += byteCandidates(body);
    for (const Candidate &candidate : std::as_const(candidates)) {
        if (candidate.bytes == body)
            continue; // the body itself is not a re-serialization
        if (computeDigest(algorithm, candidate.bytes) == expectedDigest)
            return candidate.name;
    }
    return std::nullopt;
}

std::optional<QString> findReserializedForm(QByteArrayView body, const QString &algorithm, QByteArrayView expectedDigest)
{
    const auto known = digestAlgorithmFromName(algorithm.toLatin1());
    if (!known)
        return std::nullopt;
    return findReserializedForm(body, *known, expectedDigest);
}

} // namespace Verify
