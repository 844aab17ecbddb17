#include "http/httpgrammar.h"

#include <array>
#include <limits>
#include <string_view>

namespace Http::Grammar {

namespace {

enum CharClass : quint8 {
    Tchar = 1,      // RFC 9110 §5.6.2
    Unreserved = 2, // RFC 3986 §2.3
    SubDelim = 4,   // RFC 3986 §2.2
    HexDigit = 8,
};

constexpr std::array<quint8, 256> makeTable()
{
    std::array<quint8, 256> table{};
    for (int c = 0; c < 256; ++c) {
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        quint8 bits = 0;
        if (alnum || (c != 0 && std::string_view("!#$%&'*+-.^_`|~").find(char(c)) != std::string_view::npos))
            bits |= Tchar;
        if (alnum || c == '-' || c == '.' || c == '_' || c == '~')
            bits |= Unreserved;
        if (c != 0 && std::string_view("!$&'()*+,;=").find(char(c)) != std::string_view::npos)
            bits |= SubDelim;
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
            bits |= HexDigit;
        table[c] = bits;
    }
    return table;
}

constexpr std::array<quint8, 256> kTable = makeTable();

bool has(char c, quint8 bits)
{
    return (kTable[static_cast<uchar>(c)] & bits) != 0;
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isAlpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool isOws(char c)
{
    return c == ' ' || c == '\t';
}

// Every byte is unreserved, sub-delims, one of `extra`, or a well-formed pct-encoding (RFC 3986).
bool isUriText(QByteArrayView text, std::string_view extra)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (has(c, Unreserved | SubDelim) || extra.find(c) != std::string_view::npos)
            continue;
        if (c == '%' && i + 2 < text.size() && has(text[i + 1], HexDigit) && has(text[i + 2], HexDigit)) {
            i += 2;
            continue;
        }
        return false;
    }
    return true;
}

bool isPort(QByteArrayView port)
{
    for (char c : port) {
        if (!isDigit(c))
            return false;
    }
    return true;
}

// host [ ":" port ]; IP-literal in brackets (RFC 3986 §3.2.2). requirePort: authority-form.
bool isHostPort(QByteArrayView text, bool requirePort)
{
    QByteArrayView host = text;
    QByteArrayView port;
    bool hasPort = false;
    if (text.startsWith('[')) {
        const qsizetype close = text.indexOf(']');
        if (close < 2)
            return false;
        for (char c : text.sliced(1, close - 1)) {
            if (!has(c, HexDigit) && c != ':' && c != '.')
                return false;
        }
        const QByteArrayView after = text.sliced(close + 1);
        if (!after.isEmpty() && !after.startsWith(':'))
            return false;
        hasPort = !after.isEmpty();
        port = hasPort ? after.sliced(1) : after;
        host = {};
    } else {
        const qsizetype colon = text.lastIndexOf(':');
        if (colon >= 0) {
            host = text.first(colon);
            port = text.sliced(colon + 1);
            hasPort = true;
        }
        if (!isUriText(host, {}))
            return false;
    }
    if (requirePort && (!hasPort || port.isEmpty() || (host.isEmpty() && !text.startsWith('['))))
        return false;
    return isPort(port);
}

} // namespace

bool isTchar(char c)
{
    return has(c, Tchar);
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (char c : text) {
        if (!has(c, Tchar))
            return false;
    }
    return true;
}

QByteArrayView trimOws(QByteArrayView text)
{
    while (!text.isEmpty() && isOws(text.front()))
        text = text.sliced(1);
    while (!text.isEmpty() && isOws(text.back()))
        text.chop(1);
    return text;
}

qsizetype invalidFieldValueByte(QByteArrayView value)
{
    for (qsizetype i = 0; i < value.size(); ++i) {
        const auto c = static_cast<uchar>(value[i]);
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return i;
    }
    return -1;
}

bool equalsIgnoringCase(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

TargetForm classifyTarget(QByteArrayView target, bool isConnect)
{
    if (target.isEmpty())
        return TargetForm::Invalid;
    if (isConnect) // RFC 9112 §3.2.3: CONNECT uses authority-form, and only CONNECT does
        return isHostPort(target, true) ? TargetForm::Authority : TargetForm::Invalid;
    if (target == "*") // RFC 9112 §3.2.4; the caller checks the method is OPTIONS
        return TargetForm::Asterisk;
    if (target.front() == '/') // origin-form = absolute-path [ "?" query ], no fragment
        return isUriText(target, ":@/?") ? TargetForm::Origin : TargetForm::Invalid;
    // absolute-form (RFC 9112 §3.2.2): scheme "://" authority path-abempty [ "?" query ]
    qsizetype i = 0;
    if (!isAlpha(target.front()))
        return TargetForm::Invalid;
    while (i < target.size() && (isAlpha(target[i]) || isDigit(target[i]) || target[i] == '+'
                                 || target[i] == '-' || target[i] == '.'))
        ++i;
    if (!target.sliced(i).startsWith("://"))
        return TargetForm::Invalid;
    return isUriText(target.sliced(i + 3), ":@/?[]") ? TargetForm::Absolute : TargetForm::Invalid;
}

bool isValidHost(QByteArrayView host)
{
    return host.isEmpty() || isHostPort(host, false);
}

ContentLengthError parseContentLength(QByteArrayView value, qint64 &length)
{
    if (value.contains(','))
        return ContentLengthError::List;
    if (value.isEmpty())
        return ContentLengthError::Invalid;
    qint64 result = 0;
    for (char c : value) {
        if (!isDigit(c))
            return ContentLengthError::Invalid;
        if (result > (std::numeric_limits<qint64>::max() - (c - '0')) / 10)
            return ContentLengthError::Overflow;
        result = result * 10 + (c - '0');
    }
    length = result;
    return ContentLengthError::None;
}

namespace {

qsizetype skipOws(QByteArrayView line, qsizetype i)
{
    while (i < line.size() && isOws(line[i]))
        ++i;
    return i;
}

qsizetype skipToken(QByteArrayView line, qsizetype i)
{
    while (i < line.size() && has(line[i], Tchar))
        ++i;
    return i;
}

// quoted-string (RFC 9110 §5.6.4) starting at the DQUOTE at i; returns the index after the
// closing DQUOTE, or -1.
qsizetype skipQuotedString(QByteArrayView line, qsizetype i)
{
    for (++i; i < line.size(); ++i) {
        const auto c = static_cast<uchar>(line[i]);
        if (c == '"')
            return i + 1;
        if (c == '\\') {
            if (++i >= line.size())
                return -1;
            const auto escaped = static_cast<uchar>(line[i]);
            if ((escaped < 0x20 && escaped != '\t') || escaped == 0x7f)
                return -1;
        } else if ((c < 0x20 && c != '\t') || c == 0x7f) {
            return -1;
        }
    }
    return -1;
}

} // namespace

ChunkLine parseChunkLine(QByteArrayView line)
{
    ChunkLine result;
    qsizetype i = 0;
    quint64 size = 0;
    while (i < line.size() && has(line[i], HexDigit)) {
        // 16 hex digits hold 64 bits; the size must also fit in qint64
        if (i == 16 || size > (quint64(std::numeric_limits<qint64>::max()) >> 4)) {
            result.error = ChunkLine::Error::SizeOverflow;
            return result;
        }
        const char c = line[i];
        size = (size << 4) | quint64(isDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
        ++i;
    }
    if (i == 0 || (i < line.size() && !isOws(line[i]) && line[i] != ';')) {
        result.error = ChunkLine::Error::SizeInvalid;
        return result;
    }
    result.size = qint64(size);
    // chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
    while (i < line.size()) {
        const qsizetype semicolon = skipOws(line, i);
        if (semicolon >= line.size() || line[semicolon] != ';')
            break; // BWS only before ";": trailing whitespace is left unconsumed, an error
        i = skipOws(line, semicolon + 1);
        const qsizetype nameEnd = skipToken(line, i);
        if (nameEnd == i)
            break;
        i = nameEnd;
        const qsizetype eq = skipOws(line, i);
        if (eq < line.size() && line[eq] == '=') {
            i = skipOws(line, eq + 1);
            if (i < line.size() && line[i] == '"') {
                i = skipQuotedString(line, i);
                if (i < 0)
                    break;
            } else {
                const qsizetype valueEnd = skipToken(line, i);
                if (valueEnd == i)
                    break;
                i = valueEnd;
            }
        }
    }
    if (i != line.size())
        result.error = ChunkLine::Error::ExtensionInvalid;
    return result;
}

} // namespace Http::Grammar
