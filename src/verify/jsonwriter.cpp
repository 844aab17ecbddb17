#include "verify/jsonwriter.h"

#include <QString>

namespace Verify {

namespace {

constexpr char Hex[] = "0123456789abcdef";

void appendEscape(QByteArray &out, char16_t c)
{
    switch (c) {
    case 0x08: out += "\\b"; return;
    case 0x09: out += "\\t"; return;
    case 0x0a: out += "\\n"; return;
    case 0x0c: out += "\\f"; return;
    case 0x0d: out += "\\r"; return;
    case u'"': out += "\\\""; return;
    case u'\\': out += "\\\\"; return;
    default: break;
    }
    const char escaped[] = {'\\', 'u', Hex[(c >> 12) & 0xf], Hex[(c >> 8) & 0xf], Hex[(c >> 4) & 0xf], Hex[c & 0xf]};
    out.append(escaped, sizeof escaped);
}

bool needsEscape(unsigned char c)
{
    return c < 0x20 || c == '"' || c == '\\';
}

} // namespace

void appendJsonString(QByteArray &out, QStringView text)
{
    out += '"';
    const char16_t *data = text.utf16();
    const qsizetype size = text.size();
    qsizetype i = 0;
    while (i < size) {
        const char16_t c = data[i];
        if (c < 0x80) {
            if (needsEscape(uchar(c)))
                appendEscape(out, c);
            else
                out += char(c);
            ++i;
            continue;
        }
        if (QChar::isHighSurrogate(c) && i + 1 < size && QChar::isLowSurrogate(data[i + 1])) {
            const char32_t code = QChar::surrogateToUcs4(c, data[i + 1]);
            const char bytes[] = {char(0xf0 | (code >> 18)), char(0x80 | ((code >> 12) & 0x3f)),
                                  char(0x80 | ((code >> 6) & 0x3f)), char(0x80 | (code & 0x3f))};
            out.append(bytes, sizeof bytes);
            i += 2;
            continue;
        }
        if (QChar::isSurrogate(c)) {
            appendEscape(out, c); // a lone surrogate has no UTF-8 form
        } else if (c < 0x800) {
            const char bytes[] = {char(0xc0 | (c >> 6)), char(0x80 | (c & 0x3f))};
            out.append(bytes, sizeof bytes);
        } else {
            const char bytes[] = {char(0xe0 | (c >> 12)), char(0x80 | ((c >> 6) & 0x3f)), char(0x80 | (c & 0x3f))};
            out.append(bytes, sizeof bytes);
        }
        ++i;
    }
    out += '"';
}

void appendJsonUtf8String(QByteArray &out, QByteArrayView utf8)
{
    for (const char c : utf8) {
        if (uchar(c) >= 0x80) // not plain ASCII: decode as Qt does (U+FFFD for invalid sequences)
            return appendJsonString(out, QString::fromUtf8(utf8));
    }
    out.reserve(out.size() + utf8.size() + 2);
    out += '"';
    qsizetype plainStart = 0;
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        if (!needsEscape(uchar(utf8[i])))
            continue;
        out.append(utf8.sliced(plainStart, i - plainStart));
        appendEscape(out, char16_t(uchar(utf8[i])));
        plainStart = i + 1;
    }
    out.append(utf8.sliced(plainStart));
    out += '"';
}

JsonWriter &JsonWriter::key(QByteArrayView name)
{
    separate();
    m_out += '"';
    m_out += name;
    m_out += "\":";
    m_needComma = false;
    return *this;
}

JsonWriter &JsonWriter::value(QStringView text)
{
    separate();
    appendJsonString(m_out, text);
    return *this;
}

JsonWriter &JsonWriter::utf8(QByteArrayView text)
{
    separate();
    appendJsonUtf8String(m_out, text);
    return *this;
}

JsonWriter &JsonWriter::value(qint64 number)
{
    separate();
    m_out += QByteArray::number(number);
    return *this;
}

JsonWriter &JsonWriter::boolean(bool flag)
{
    separate();
    m_out += flag ? "true" : "false";
    return *this;
}

JsonWriter &JsonWriter::null()
{
    separate();
    m_out += "null";
    return *this;
}

JsonWriter &JsonWriter::raw(QByteArrayView json)
{
    separate();
    m_out += json;
    return *this;
}

} // namespace Verify
