#include "verify/base64.h"

namespace Verify {

namespace {

enum class Alphabet { Standard, Url };

// Sextet values by byte, -1 for bytes outside the alphabet; "either" takes both alphabets.
struct SextetTables
{
    signed char standard[256];
    signed char url[256];
    signed char either[256];
};

constexpr SextetTables makeSextetTables()
{
    SextetTables tables{};
    for (int c = 0; c < 256; ++c) {
        int value = -1;
        if (c >= 'A' && c <= 'Z')
            value = c - 'A';
        else if (c >= 'a' && c <= 'z')
            value = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            value = c - '0' + 52;
        tables.standard[c] = tables.url[c] = tables.either[c] = static_cast<signed char>(value);
    }
    tables.standard[int('+')] = tables.either[int('+')] = 62;
    tables.standard[int('/')] = tables.either[int('/')] = 63;
    tables.url[int('-')] = tables.either[int('-')] = 62;
    tables.url[int('_')] = tables.either[int('_')] = 63;
    return tables;
}

constexpr SextetTables Sextets = makeSextetTables();

int sextet(char c, Alphabet alphabet)
{
    return (alphabet == Alphabet::Standard ? Sextets.standard : Sextets.url)[uchar(c)];
}

Base64Error makeError(const char *code, const QString &message, qsizetype offset)
{
    return Base64Error{QString::fromLatin1(code), message, offset};
}

// Decodes a run of alphabet characters (no padding); fails on non-zero pad bits when strict
// (RFC 4648 §3.5: canonical encodings leave the pad bits zero).
std::expected<QByteArray, Base64Error> decodeData(QByteArrayView data, bool strictBits)
{
    if (data.size() % 4 == 1)
        return std::unexpected(makeError("bad-length",
                                         QStringLiteral("The base64 text has %1 characters, which no byte length encodes to.")
                                             .arg(data.size()), data.size()));
    QByteArray out(data.size() * 6 / 8, Qt::Uninitialized);
    char *cursor = out.data();
    quint32 buffer = 0;
    int bits = 0;
    for (char c : data) {
        buffer = (buffer << 6) | quint32(Sextets.either[uchar(c)]);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            *cursor++ = char((buffer >> bits) & 0xff);
        }
    }
    if (strictBits && bits > 0 && (buffer & ((1u << bits) - 1)) != 0)
        return std::unexpected(makeError("non-zero-pad-bits",
                                         QStringLiteral("The last base64 character leaves non-zero pad bits, so the "
                                                        "encoding is not canonical (RFC 4648 §3.5)."),
                                         data.size() - 1));
    return out;
}

std::expected<QByteArray, Base64Error> decodeStrict(QByteArrayView text, Alphabet alphabet)
{
    const Alphabet other = alphabet == Alphabet::Standard ? Alphabet::Url : Alphabet::Standard;
    qsizetype dataEnd = text.size();
    while (dataEnd > 0 && text[dataEnd - 1] == '=')
        --dataEnd;
    for (qsizetype i = 0; i < dataEnd; ++i) {
        const char c = text[i];
        if (sextet(c, alphabet) >= 0)
            continue;
        if (sextet(c, other) >= 0) {
            if (alphabet == Alphabet::Standard)
                return std::unexpected(makeError("base64url-character",
                                                 QStringLiteral("The value uses the base64url character '%1' at offset %2; "
                                                                "standard base64 uses '+' and '/' (RFC 4648 §4).")
                                                     .arg(QLatin1Char(c)).arg(i), i));
            return std::unexpected(makeError("standard-character",
                                             QStringLiteral("The value uses the standard base64 character '%1' at offset %2; "
                                                            "base64url uses '-' and '_' (RFC 4648 §5).")
                                                 .arg(QLatin1Char(c)).arg(i), i));
        }
        if (c == '=')
            return std::unexpected(makeError("invalid-character",
                                             QStringLiteral("Padding '=' appears inside the base64 text at offset %1.").arg(i), i));
        return std::unexpected(makeError("invalid-character",
                                         QStringLiteral("Byte 0x%1 at offset %2 is not a base64 character.")
                                             .arg(quint8(c), 2, 16, QLatin1Char('0')).arg(i), i));
    }
    const qsizetype padding = text.size() - dataEnd;
    const qsizetype needed = (4 - dataEnd % 4) % 4;
    if (alphabet == Alphabet::Url) {
        if (padding > 0)
            return std::unexpected(makeError("extra-padding",
                                             QStringLiteral("base64url values in JOSE carry no '=' padding (RFC 7515 §2)."),
                                             dataEnd));
    } else if (dataEnd % 4 != 1) {
        if (padding < needed)
            return std::unexpected(makeError("missing-padding",
                                             QStringLiteral("The base64 value lacks %1 '=' padding character(s) at the end.")
                                                 .arg(needed - padding), text.size()));
        if (padding > needed)
            return std::unexpected(makeError("extra-padding",
                                             QStringLiteral("The base64 value has %1 '=' padding character(s) too many at the end.")
                                                 .arg(padding - needed), dataEnd + needed));
    }
    return decodeData(text.first(dataEnd), true);
}

} // namespace

std::expected<QByteArray, Base64Error> decodeBase64Strict(QByteArrayView text)
{
    return decodeStrict(text, Alphabet::Standard);
}

std::expected<QByteArray, Base64Error> decodeBase64UrlStrict(QByteArrayView text)
{
    return decodeStrict(text, Alphabet::Url);
}

std::expected<QByteArray, Base64Error> decodeBase64Lenient(QByteArrayView text)
{
    qsizetype dataEnd = text.size();
    while (dataEnd > 0 && text[dataEnd - 1] == '=')
        --dataEnd;
    for (qsizetype i = 0; i < dataEnd; ++i) {
        if (Sextets.either[uchar(text[i])] < 0)
            return std::unexpected(makeError("invalid-character",
                                             QStringLiteral("Byte 0x%1 at offset %2 is not a base64 character.")
                                                 .arg(quint8(text[i]), 2, 16, QLatin1Char('0')).arg(i), i));
    }
    return decodeData(text.first(dataEnd), false);
}

QByteArray encodeBase64(QByteArrayView bytes)
{
    return bytes.toByteArray().toBase64();
}

QByteArray encodeBase64Url(QByteArrayView bytes)
{
    return bytes.toByteArray().toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

} // namespace Verify
