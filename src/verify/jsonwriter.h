#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QStringView>

namespace Verify {

// A JSON string literal appended to out, escaped as ECMA-262 QuoteJSONString (well-formed
// JSON.stringify) and QJsonDocument::toJson both do: only ", \, control characters (\b \t \n
// \f \r, else \u00xx) and lone surrogates (\udxxx) are escaped; other text is written as UTF-8.
void appendJsonString(QByteArray &out, QStringView text);
// The same for UTF-8 bytes, read as QString::fromUtf8 reads them (invalid sequences become U+FFFD).
void appendJsonUtf8String(QByteArray &out, QByteArrayView utf8);

/// Writes compact JSON text with no intermediate objects. Byte for byte what
/// QJsonDocument::toJson(QJsonDocument::Compact) writes for the same values, provided the caller
/// writes object keys in the order QJsonObject keeps them (sorted by UTF-16 code units).
class JsonWriter final
{
public:
    explicit JsonWriter(QByteArray &out) : m_out(out) {}

    JsonWriter &beginObject() { return open('{'); }
    JsonWriter &endObject() { return close('}'); }
    JsonWriter &beginArray() { return open('['); }
    JsonWriter &endArray() { return close(']'); }
    JsonWriter &key(QByteArrayView name); // plain ASCII names only: written unescaped

    JsonWriter &value(QStringView text);
    JsonWriter &utf8(QByteArrayView text);
    JsonWriter &value(qint64 number);
    JsonWriter &boolean(bool flag);
    JsonWriter &null();
    JsonWriter &raw(QByteArrayView json); // a value already written as JSON text

private:
    void separate()
    {
        if (m_needComma)
            m_out += ',';
        m_needComma = true;
    }
    JsonWriter &open(char bracket)
    {
        separate();
        m_out += bracket;
        m_needComma = false;
        return *this;
    }
    JsonWriter &close(char bracket)
    {
        m_out += bracket;
        m_needComma = true;
        return *this;
    }

    QByteArray &m_out;
    bool m_needComma = false;
};

} // namespace Verify
