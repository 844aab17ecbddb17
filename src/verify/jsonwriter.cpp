#include "verify/jsonwriter.h"

#include <QString>

#include <charconv>
#include <cstring>

namespace Verify {

namespace {

constexpr char Hex[] = "0123456789abcdef";

bool needsEscape(char16_t c)
{
    return c < 0x20 || c == u'"' || c == u'\\';
}

char *writeEscape(char *cursor, char16_t c)
{
    *cursor++ = '\\';
    switch (c) {
    case 0x08: *cursor++ = 'b'; return cursor;
    case 0x09: *cursor++ = 't'; return cursor;
    case 0x0a: *cursor++ = 'n'; return cursor;
    case 0x0c: *cursor++ = 'f'; return cursor;
    case 0x0d: *cursor++ = 'r'; return cursor;
    case u'"': *cursor++ = '"'; return cursor;
    case u'\\': *cursor++ = '\\'; return cursor;
    default: break;
    }
    *cursor++ = 'u';
    *cursor++ = Hex[(c >> 12) & 0xf];
    *cursor++ = Hex[(c >> 8) & 0xf];
    *cursor++ = Hex[(c >> 4) & 0xf];
    *cursor++ = Hex[c & 0xf];
    return cursor;
}

// Makes room for up to `most` more bytes (growing geometrically) and returns where they start;
// finish() trims to what was written.
char *reserveTail(QByteArray &out, qsizetype most)
{
    const qsizetype start = out.size();
    if (out.capacity() < start + most)
        out.reserve(qMax(start + most, out.capacity() * 2));
    out.resize(start + most);
    return out.data() + start;
}

void finish(QByteArray &out, const char *cursor)
{
    out.resize(cursor - out.constData());
}

} // namespace

void appendJsonString(QByteArray &out, QStringView text)
{
    const char16_t *data = text.utf16();
    const qsizetype size = text.size();
    char *cursor = reserveTail(out, size * 6 + 2); // \uxxxx is the longest form of one unit
    *cursor++ = '"';
    for (qsizetype i = 0; i < size; ++i) {
        const char16_t c = data[i];
        if (c < 0x80) {
            if (needsEscape(c))
                cursor = writeEscape(cursor, c);
            else
                *cursor++ = char(c);
        } else if (QChar::isHighSurrogate(c) && i + 1 < size && QChar::isLowSurrogate(data[i + 1])) {
            const char32_t code = QChar::surrogateToUcs4(c, data[++i]);
            *cursor++ = char(0xf0 | (code >> 18));
            *cursor++ = char(0x80 | ((code >> 12) & 0x3f));
            *cursor++ = char(0x80 | ((code >> 6) & 0x3f));
            *cursor++ = char(0x80 | (code & 0x3f));
        } else if (QChar::isSurrogate(c)) {
            cursor = writeEscape(cursor, c); // a lone surrogate has no UTF-8 form
        } else if (c < 0x800) {
            *cursor++ = char(0xc0 | (c >> 6));
            *cursor++ = char(0x80 | (c & 0x3f));
        } else {
            *cursor++ = char(0xe0 | (c >> 12));
            *cursor++ = char(0x80 | ((c >> 6) & 0x3f));
            *cursor++ = char(0x80 | (c & 0x3f));
        }
    }
    *cursor++ = '"';
    finish(out, cursor);
}

void appendJsonUtf8String(QByteArray &out, QByteArrayView utf8)
{
    for (const char c : utf8) {
        if (uchar(c) >= 0x80) // not plain ASCII: decode as Qt does (U+FFFD for invalid sequences)
            return appendJsonString(out, QString::fromUtf8(utf8));
    }
    char *cursor = reserveTail(out, utf8.size() * 6 + 2);
    *cursor++ = '"';
    for (const char c : utf8) {
        if (needsEscape(char16_t(c)))
            cursor = writeEscape(cursor, char16_t(c));
        else
            *cursor++ = c;
    }
    *cursor++ = '"';
    finish(out, cursor);
}

JsonWriter &JsonWriter::key(QByteArrayView name)
{
    // One growth of the buffer for the comma, the quoted name and the colon (appended one by
    // one they were a tenth of writing a verdict).
    char *cursor = reserveTail(m_out, name.size() + 4);
    if (m_needComma)
        *cursor++ = ',';
    *cursor++ = '"';
    std::memcpy(cursor, name.data(), size_t(name.size()));
    cursor += name.size();
    *cursor++ = '"';
    *cursor++ = ':';
    finish(m_out, cursor);
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
    char *cursor = reserveTail(m_out, 21); // a comma and "-9223372036854775808"
    if (m_needComma)
        *cursor++ = ',';
    m_needComma = true;
    cursor = std::to_chars(cursor, cursor + 20, number).ptr;
    finish(m_out, cursor);
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
