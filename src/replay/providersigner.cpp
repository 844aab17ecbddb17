#include "replay/providersigner.h"

#include "verify/base64.h"
#include "verify/crypto.h"
#include "verify/digest.h"

namespace Replay {

ProviderSigner::ProviderSigner(Verify::KeyPtr key, QString keyId)
    : m_key(std::move(key))
    , m_keyId(std::move(keyId))
{
}

QByteArray ProviderSigner::imfFixdate(const QDateTime &time)
{
    static const char *const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const QDateTime utc = time.toUTC();
    const QDate date = utc.date();
    const QTime clock = utc.time();
    return QByteArray(days[date.dayOfWeek() - 1]) + ", "
         + QByteArray::number(date.day()).rightJustified(2, '0') + ' ' + months[date.month() - 1] + ' '
         + QByteArray::number(date.year()).rightJustified(4, '0') + ' '
         + QByteArray::number(clock.hour()).rightJustified(2, '0') + ':'
         + QByteArray::number(clock.minute()).rightJustified(2, '0') + ':'
         + QByteArray::number(clock.second()).rightJustified(2, '0') + " GMT";
}

std::expected<SignedHeaders, QString> ProviderSigner::sign(const Input &input) const
{
    if (!m_key || !m_key->hasPrivate)
        return std::unexpected(QStringLiteral("signing needs a private key"));
    if (m_key->type != Verify::KeyType::Rsa)
        return std::unexpected(QStringLiteral("the provider signs with rsa-sha256: the key must be an RSA key"));
    if (!input.date.isValid())
        return std::unexpected(QStringLiteral("the Date to sign is not a valid time"));
    if (input.target.isEmpty() || input.host.isEmpty())
        return std::unexpected(QStringLiteral("signing needs a request-target and a host"));
    if (m_keyId.contains(QLatin1Char('"')) || m_keyId.contains(QLatin1Char('\\')))
        return std::unexpected(QStringLiteral("a keyId cannot contain '\"' or '\\' (draft-cavage §2.1 quoted strings)"));

    const QByteArray date = imfFixdate(input.date);
    const QByteArray digest = "SHA-256=" + Verify::encodeBase64(Verify::computeDigest(Verify::DigestAlgorithm::Sha256, input.body));
    // draft-cavage-http-signatures-12 §2.3: "name: value" lines joined by "\n", the
    // (request-target) line with the lowercased method.
    SignedHeaders result;
    result.signingString = "(request-target): " + input.method.toLower() + ' ' + input.target + '\n'
                         + "host: " + input.host + '\n' + "date: " + date + '\n' + "digest: " + digest;
    auto signature = Verify::signData(*m_key, Verify::SignatureAlgorithm::RsaV15Sha256, result.signingString);
    if (!signature)
        return std::unexpected(signature.error());
    const QByteArray authorization = "Signature keyId=\"" + m_keyId.toUtf8()
                                   + "\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date digest\",signature=\""
                                   + Verify::encodeBase64(*signature) + '"';
    result.fields = {
        {QByteArrayLiteral("Host"), input.host},
        {QByteArrayLiteral("Date"), date},
        {QByteArrayLiteral("Digest"), digest},
        {QByteArrayLiteral("Content-Type"), input.contentType},
        {QByteArrayLiteral("Authorization"), authorization},
    };
    return result;
}

} // namespace Replay
