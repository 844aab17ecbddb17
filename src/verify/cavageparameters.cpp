#include "verify/cavageparameters.h"

#include <QStringList>

namespace Verify {

namespace {

bool isTokenChar(char c)
{
    // RFC 9110 §5.6.2 tchar
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isOws(char c)
{
    return c == ' ' || c == '\t';
}

std::optional<qint64> parseInteger(const QByteArray &text)
{
    if (text.isEmpty() || text.size() > 15)
        return std::nullopt;
    bool ok = false;
    // draft-12 §2.1.4/§2.1.5 allow a decimal fraction for expires; keep the integer part.
    const QByteArray integerPart = text.contains('.') ? text.left(text.indexOf('.')) : text;
    const qint64 value = integerPart.toLongLong(&ok);
    if (!ok)
        return std::nullopt;
    return value;
}

} // namespace

std::expected<CavageParameters, QString> parseCavageParameters(QByteArrayView params, const QByteArray &defaultHeader)
{
    CavageParameters result;
    qsizetype i = 0;
    const qsizetype n = params.size();
    const auto skipOws = [&] {
        while (i < n && isOws(params[i]))
            ++i;
    };
    skipOws();
    while (i < n) {
        const qsizetype nameStart = i;
        while (i < n && isTokenChar(params[i]) && params[i] != '=')
            ++i;
        if (i == nameStart)
            return std::unexpected(QStringLiteral("expected a parameter name at offset %1").arg(i));
        const QByteArray name = params.sliced(nameStart, i - nameStart).toByteArray().toLower();
        skipOws();
        if (i >= n || params[i] != '=')
            return std::unexpected(QStringLiteral("parameter \"%1\" has no '=' (offset %2)").arg(QString::fromLatin1(name)).arg(i));
        ++i;
        skipOws();
        QByteArray value;
        if (i < n && params[i] == '"') {
            ++i;
            bool closed = false;
            qsizetype end = i; // without escapes, the value is a slice
            while (end < n && params[end] != '"' && params[end] != '\\')
                ++end;
            if (end < n && params[end] == '"') {
                value = params.sliced(i, end - i).toByteArray();
                i = end + 1;
                closed = true;
            }
            while (!closed && i < n) {
                const char c = params[i++];
                if (c == '\\') {
                    if (i >= n)
                        break;
                    value.append(params[i++]);
                } else if (c == '"') {
                    closed = true;
                    break;
                } else {
                    value.append(c);
                }
            }
            if (!closed)
                return std::unexpected(QStringLiteral("parameter \"%1\" has an unterminated quoted string").arg(QString::fromLatin1(name)));
        } else {
            const qsizetype valueStart = i;
            while (i < n && isTokenChar(params[i]))
                ++i;
            if (i == valueStart)
                return std::unexpected(QStringLiteral("parameter \"%1\" has no value").arg(QString::fromLatin1(name)));
            value = params.sliced(valueStart, i - valueStart).toByteArray();
        }
        for (const auto &existing : std::as_const(result.all)) {
            if (existing.first == name)
                return std::unexpected(QStringLiteral("parameter \"%1\" appears twice").arg(QString::fromLatin1(name)));
        }
        result.all.append({name, value});
        skipOws();
        if (i < n) {
            if (params[i] != ',')
                return std::unexpected(QStringLiteral("expected ',' after parameter \"%1\" (offset %2)").arg(QString::fromLatin1(name)).arg(i));
            ++i;
            skipOws();
            if (i >= n)
                return std::unexpected(QStringLiteral("trailing ',' after the last parameter"));
        }
    }

    for (const auto &[name, value] : std::as_const(result.all)) {
        if (name == "keyid") {
            result.keyId = value;
        } else if (name == "algorithm") {
            result.algorithm = value;
        } else if (name == "signature") {
            result.signature = value;
        } else if (name == "headers") {
            result.headersGiven = true;
            const QList<QByteArray> parts = value.split(' ');
            for (const QByteArray &part : parts) {
                if (!part.isEmpty())
                    result.headers.append(part.toLower());
            }
        } else if (name == "created" || name == "expires") {
            const std::optional<qint64> number = parseInteger(value);
            if (!number)
                return std::unexpected(QStringLiteral("parameter \"%1\" is not a Unix time").arg(QString::fromLatin1(name)));
            (name == "created" ? result.created : result.expires) = number;
        }
    }
    if (result.keyId.isEmpty())
        return std::unexpected(QStringLiteral("the keyId parameter is missing"));
    if (result.signature.isEmpty())
        return std::unexpected(QStringLiteral("the signature parameter is missing"));
    if (!result.headersGiven || result.headers.isEmpty())
        result.headers = {defaultHeader};
    return result;
}

bool isSignatureAuthorization(QByteArrayView authorization)
{
    const QByteArrayView trimmed = authorization.trimmed();
    return trimmed.size() > 9 && trimmed.first(9).compare("signature", Qt::CaseInsensitive) == 0
           && isOws(trimmed[9]);
}

std::expected<CavageParameters, QString> parseCavageAuthorization(QByteArrayView authorization,
                                                                  const QByteArray &defaultHeader)
{
    const QByteArrayView trimmed = authorization.trimmed();
    if (!isSignatureAuthorization(trimmed))
        return std::unexpected(QStringLiteral("not-signature-scheme"));
    return parseCavageParameters(trimmed.sliced(10), defaultHeader);
}

// Mirrors lib/parser.js and lib/utils.js validateAlgorithm of http-signature 1.4.0.
QString joyentParseError(QByteArrayView value, bool isAuthorization)
{
    enum class Sub { Name, Quote, Value, Comma, Number };
    qsizetype i = 0;
    if (isAuthorization) {
        QByteArray scheme;
        while (i < value.size() && value[i] != ' ')
            scheme.append(value[i++]);
        if (i >= value.size())
            return QStringLiteral("scheme was not \"Signature\"");
        ++i;
        if (scheme != "Signature")
            return QStringLiteral("scheme was not \"Signature\"");
    }
    Sub sub = Sub::Name;
    QByteArray name;
    QByteArray current;
    QList<std::pair<QByteArray, QByteArray>> params;
    const QString bad = QStringLiteral("bad param format");
    for (; i < value.size(); ++i) {
        const char c = value[i];
        switch (sub) {
        case Sub::Name:
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
                name.append(c);
            else if (c == '=' && !name.isEmpty())
                sub = Sub::Quote;
            else
                return bad;
            break;
        case Sub::Quote:
            if (c == '"') {
                current.clear();
                sub = Sub::Value;
            } else if (c >= '0' && c <= '9') {
                current = QByteArray(1, c);
                sub = Sub::Number;
            } else {
                return bad;
            }
            break;
        case Sub::Value:
            if (c == '"') {
                params.append({name, current});
                sub = Sub::Comma;
            } else {
                current.append(c);
            }
            break;
        case Sub::Number:
            if (c == ',') {
                params.append({name, current});
                name.clear();
                sub = Sub::Name;
            } else if (c >= '0' && c <= '9') {
                current.append(c);
            } else {
                return bad;
            }
            break;
        case Sub::Comma:
            if (c != ',')
                return bad;
            name.clear();
            sub = Sub::Name;
            break;
        }
    }
    const auto find = [&](const char *key) {
        QByteArray found;
        for (const auto &[k, v] : std::as_const(params)) {
            if (k == key)
                found = v;
        }
        return found;
    };
    if (find("keyId").isEmpty())
        return QStringLiteral("keyId was not specified");
    const QByteArray algorithm = find("algorithm").toLower();
    if (algorithm.isEmpty())
        return QStringLiteral("algorithm was not specified");
    if (find("signature").isEmpty())
        return QStringLiteral("signature was not specified");
    const QList<QByteArray> parts = algorithm.split('-');
    static const QList<QByteArray> keyTypes = {"hmac", "rsa", "dsa", "ecdsa", "ed25519"};
    static const QList<QByteArray> hashes = {"sha1", "sha256", "sha512"};
    if (parts.size() != 2 || !keyTypes.contains(parts[0]) || !hashes.contains(parts[1]))
        return QString::fromLatin1(algorithm) + QStringLiteral(" is not supported");
    return {};
}

} // namespace Verify
