#include "verify/structuredfields.h"

#include "verify/base64.h"

#include <cmath>

namespace Verify {

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isLcAlpha(char c) { return c >= 'a' && c <= 'z'; }
bool isAlpha(char c) { return isLcAlpha(c) || (c >= 'A' && c <= 'Z'); }

// RFC 9110 §5.6.2 tchar
bool isTchar(char c)
{
    return isAlpha(c) || isDigit(c) || QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isKeyChar(char c) { return isLcAlpha(c) || isDigit(c) || c == '_' || c == '-' || c == '.' || c == '*'; }

constexpr qint64 MaxInteger = 999'999'999'999'999LL;

/// Recursive-descent parser over one field value; offsets are relative to the input start.
class Parser
{
public:
    explicit Parser(QByteArrayView input) : m_input(input) {}

    bool atEnd() const { return m_pos >= m_input.size(); }
    char peek() const { return atEnd() ? '\0' : m_input[m_pos]; }
    qsizetype position() const { return m_pos; }

    void skipSpaces()
    {
        while (!atEnd() && m_input[m_pos] == ' ')
            ++m_pos;
    }
    void skipOws()
    {
        while (!atEnd() && (m_input[m_pos] == ' ' || m_input[m_pos] == '\t'))
            ++m_pos;
    }

    std::unexpected<SfError> fail(const QString &message, qsizetype at = -1) const
    {
        return std::unexpected(SfError{at < 0 ? m_pos : at, message, std::nullopt});
    }

    // §4.2.1
    std::expected<SfList, SfError> parseList()
    {
        SfList members;
        while (!atEnd()) {
            auto member = parseItemOrInnerList();
            if (!member)
                return std::unexpected(member.error());
            members.append(*member);
            if (auto end = afterMember(); !end)
                return std::unexpected(end.error());
            else if (*end)
                return members;
        }
        return members;
    }

    // §4.2.2
    std::expected<SfDictionary, SfError> parseDictionary()
    {
        SfDictionary dictionary;
        while (!atEnd()) {
            auto key = parseKey();
            if (!key)
                return std::unexpected(key.error());
            SfMember member;
            if (peek() == '=') {
                ++m_pos;
                auto value = parseItemOrInnerList();
                if (!value)
                    return std::unexpected(value.error());
                member = *value;
            } else {
                member.item.bare = SfBareItem::makeBoolean(true);
                auto parameters = parseParameters();
                if (!parameters)
                    return std::unexpected(parameters.error());
                member.item.parameters = *parameters;
            }
            dictionary.set(*key, member);
            if (auto end = afterMember(); !end)
                return std::unexpected(end.error());
            else if (*end)
                return dictionary;
        }
        return dictionary;
    }

    // §4.2.3
    std::expected<SfItem, SfError> parseItem()
    {
        SfItem item;
        auto bare = parseBareItem();
        if (!bare)
            return std::unexpected(bare.error());
        item.bare = *bare;
        auto parameters = parseParameters();
        if (!parameters)
            return std::unexpected(parameters.error());
        item.parameters = *parameters;
        return item;
    }

    // §4.2.3.1
    std::expected<SfBareItem, SfError> parseBareItem()
    {
        const char c = peek();
        if (c == '-' || isDigit(c))
            return parseNumber();
        if (c == '"')
            return parseString();
        if (isAlpha(c) || c == '*')
            return parseToken();
        if (c == ':')
            return parseByteSequence();
        if (c == '?')
            return parseBoolean();
        if (atEnd())
            return fail(QStringLiteral("A value was expected but the field ends here."));
        return fail(QStringLiteral("'%1' cannot start a value (RFC 8941 §4.2.3.1).").arg(QLatin1Char(c)));
    }

private:
    // After a list or dictionary member: true when the input ended properly, false when another
    // member follows a comma, an error otherwise.
    std::expected<bool, SfError> afterMember()
    {
        skipOws();
        if (atEnd())
            return true;
        if (peek() != ',')
            return fail(QStringLiteral("Expected ',' between members but found '%1'.").arg(QLatin1Char(peek())));
        ++m_pos;
        skipOws();
        if (atEnd())
            return fail(QStringLiteral("The field ends with a trailing comma."));
        return false;
    }

    std::expected<SfMember, SfError> parseItemOrInnerList()
    {
        if (peek() == '(') {
            auto list = parseInnerList();
            if (!list)
                return std::unexpected(list.error());
            return SfMember::fromInnerList(*list);
        }
        auto item = parseItem();
        if (!item)
            return std::unexpected(item.error());
        return SfMember::fromItem(*item);
    }

    // §4.2.1.2
    std::expected<SfInnerList, SfError> parseInnerList()
    {
        const qsizetype start = m_pos;
        ++m_pos; // '('
        SfInnerList list;
        while (!atEnd()) {
            skipSpaces();
            if (peek() == ')') {
                ++m_pos;
                auto parameters = parseParameters();
                if (!parameters)
                    return std::unexpected(parameters.error());
                list.parameters = *parameters;
                return list;
            }
            auto item = parseItem();
            if (!item)
                return std::unexpected(item.error());
            list.items.append(*item);
            if (peek() != ' ' && peek() != ')') {
                if (atEnd())
                    break;
                return fail(QStringLiteral("Inner list items must be separated by a space; found '%1'.")
                                .arg(QLatin1Char(peek())));
            }
        }
        return fail(QStringLiteral("The inner list opened at offset %1 is not closed with ')'.").arg(start));
    }

    // §4.2.3.2
    std::expected<SfParameters, SfError> parseParameters()
    {
        SfParameters parameters;
        while (peek() == ';') {
            ++m_pos;
            skipSpaces();
            auto key = parseKey();
            if (!key)
                return std::unexpected(key.error());
            SfBareItem value = SfBareItem::makeBoolean(true);
            if (peek() == '=') {
                ++m_pos;
                auto bare = parseBareItem();
                if (!bare)
                    return std::unexpected(bare.error());
                value = *bare;
            }
            parameters.set(*key, value);
        }
        return parameters;
    }

    // §4.2.3.3
    std::expected<QByteArray, SfError> parseKey()
    {
        if (!isLcAlpha(peek()) && peek() != '*') {
            if (atEnd())
                return fail(QStringLiteral("A key was expected but the field ends here."));
            return fail(QStringLiteral("A key must start with a lowercase letter or '*'; found '%1' (RFC 8941 §4.2.3.3).")
                            .arg(QLatin1Char(peek())));
        }
        const qsizetype start = m_pos;
        while (!atEnd() && isKeyChar(peek()))
            ++m_pos;
        return m_input.sliced(start, m_pos - start).toByteArray();
    }

    // §4.2.4
    std::expected<SfBareItem, SfError> parseNumber()
    {
        const qsizetype start = m_pos;
        bool negative = false;
        if (peek() == '-') {
            negative = true;
            ++m_pos;
        }
        if (!isDigit(peek()))
            return fail(QStringLiteral("A number needs a digit after '-'."));
        QByteArray digits;
        bool decimal = false;
        while (!atEnd()) {
            const char c = peek();
            if (isDigit(c)) {
                digits.append(c);
            } else if (!decimal && c == '.') {
                if (digits.size() > 12)
                    return fail(QStringLiteral("A decimal has at most 12 integer digits."), start);
                digits.append(c);
                decimal = true;
            } else {
                break;
            }
            ++m_pos;
            if (!decimal && digits.size() > 15)
                return fail(QStringLiteral("An integer has at most 15 digits."), start);
            if (decimal && digits.size() > 16)
                return fail(QStringLiteral("A decimal has at most 16 characters."), start);
        }
        if (!decimal) {
            const qint64 value = digits.toLongLong();
            return SfBareItem::makeInteger(negative ? -value : value);
        }
        if (digits.endsWith('.'))
            return fail(QStringLiteral("A decimal cannot end with '.'."), m_pos - 1);
        if (digits.size() - digits.indexOf('.') - 1 > 3)
            return fail(QStringLiteral("A decimal has at most 3 fractional digits."), start);
        const double value = digits.toDouble();
        return SfBareItem::makeDecimal(negative ? -value : value);
    }

    // §4.2.5
    std::expected<SfBareItem, SfError> parseString()
    {
        const qsizetype start = m_pos;
        ++m_pos;
        QByteArray text;
        while (!atEnd()) {
            const char c = m_input[m_pos++];
            if (c == '\\') {
                if (atEnd())
                    break;
                const char next = m_input[m_pos++];
                if (next != '"' && next != '\\')
                    return fail(QStringLiteral("Only '\\\"' and '\\\\' are escapes in a string; found '\\%1'.")
                                    .arg(QLatin1Char(next)), m_pos - 2);
                text.append(next);
            } else if (c == '"') {
                return SfBareItem::makeString(text);
            } else if (quint8(c) < 0x20 || quint8(c) > 0x7e) {
                return fail(QStringLiteral("Byte 0x%1 is not allowed in a string (printable ASCII only).")
                                .arg(quint8(c), 2, 16, QLatin1Char('0')), m_pos - 1);
            } else {
                text.append(c);
            }
        }
        return fail(QStringLiteral("The string opened at offset %1 is not closed.").arg(start));
    }

    // §4.2.6
    std::expected<SfBareItem, SfError> parseToken()
    {
        const qsizetype start = m_pos;
        while (!atEnd() && (isTchar(peek()) || peek() == ':' || peek() == '/'))
            ++m_pos;
        return SfBareItem::makeToken(m_input.sliced(start, m_pos - start).toByteArray());
    }

    // §4.2.7: missing padding and non-zero pad bits SHOULD NOT fail; anything else that is not
    // base64 does ("If base64 decoding fails, parsing fails"), e.g. extra '=' characters.
    std::expected<SfBareItem, SfError> parseByteSequence()
    {
        const qsizetype start = m_pos;
        const qsizetype end = m_input.indexOf(':', start + 1);
        if (end < 0)
            return fail(QStringLiteral("The byte sequence opened at offset %1 is not closed with ':'.").arg(start));
        const QByteArrayView content = m_input.sliced(start + 1, end - start - 1);
        for (qsizetype i = 0; i < content.size(); ++i) {
            const char c = content[i];
            if (!isAlpha(c) && !isDigit(c) && c != '+' && c != '/' && c != '=') {
                auto error = fail(QStringLiteral("Byte sequences use standard base64; '%1' at offset %2 is not allowed%3.")
                                      .arg(QLatin1Char(c))
                                      .arg(start + 1 + i)
                                      .arg(c == '-' || c == '_' ? QStringLiteral(" (a base64url character)") : QString()),
                                  start + 1 + i);
                if (auto lenient = decodeBase64Lenient(content))
                    error.error().lenientBytes = *lenient;
                return error;
            }
        }
        qsizetype dataEnd = content.size();
        while (dataEnd > 0 && content[dataEnd - 1] == '=')
            --dataEnd;
        const QByteArrayView data = content.first(dataEnd);
        const qsizetype padding = content.size() - dataEnd;
        const qsizetype needed = (4 - dataEnd % 4) % 4;
        QString problem;
        if (data.contains('='))
            problem = QStringLiteral("'=' appears inside the base64 data");
        else if (dataEnd % 4 == 1)
            problem = QStringLiteral("the base64 data has a length no byte count encodes to");
        else if (padding > needed)
            problem = QStringLiteral("the base64 data has %1 '=' too many").arg(padding - needed);
        if (!problem.isEmpty()) {
            auto error = fail(QStringLiteral("The byte sequence is not valid base64: %1 (RFC 8941 §4.2.7).").arg(problem),
                              start + 1);
            if (auto lenient = decodeBase64Lenient(content))
                error.error().lenientBytes = *lenient;
            return error;
        }
        auto bytes = decodeBase64Lenient(data);
        if (!bytes)
            return fail(bytes.error().message, start + 1);
        m_pos = end + 1;
        return SfBareItem::makeByteSequence(*bytes);
    }

    // §4.2.8
    std::expected<SfBareItem, SfError> parseBoolean()
    {
        ++m_pos;
        const char c = peek();
        if (c != '0' && c != '1')
            return fail(QStringLiteral("A boolean is '?0' or '?1'."));
        ++m_pos;
        return SfBareItem::makeBoolean(c == '1');
    }

    QByteArrayView m_input;
    qsizetype m_pos = 0;
};

// §4.2 steps 1 and 5-7 around each top-level parse.
template<typename T, typename Parse>
std::expected<T, SfError> parseTopLevel(QByteArrayView input, Parse parse)
{
    Parser parser(input);
    parser.skipSpaces();
    std::expected<T, SfError> result = parse(parser);
    if (!result)
        return result;
    parser.skipSpaces();
    if (!parser.atEnd())
        return parser.fail(QStringLiteral("Unexpected '%1' after the value.").arg(QLatin1Char(parser.peek())));
    return result;
}

std::unexpected<SfError> serializeError(const QString &message)
{
    return std::unexpected(SfError{0, message, std::nullopt});
}

} // namespace

SfBareItem SfBareItem::makeInteger(qint64 value) { SfBareItem item; item.type = SfType::Integer; item.integer = value; return item; }
SfBareItem SfBareItem::makeDecimal(double value) { SfBareItem item; item.type = SfType::Decimal; item.decimal = value; return item; }
SfBareItem SfBareItem::makeString(const QByteArray &value) { SfBareItem item; item.type = SfType::String; item.text = value; return item; }
SfBareItem SfBareItem::makeToken(const QByteArray &value) { SfBareItem item; item.type = SfType::Token; item.text = value; return item; }
SfBareItem SfBareItem::makeByteSequence(const QByteArray &bytes) { SfBareItem item; item.type = SfType::ByteSequence; item.text = bytes; return item; }
SfBareItem SfBareItem::makeBoolean(bool value) { SfBareItem item; item.type = SfType::Boolean; item.boolean = value; return item; }

QString SfBareItem::toDisplayString() const
{
    if (auto serialized = serializeSfBareItem(*this))
        return QString::fromLatin1(*serialized);
    return QString::fromUtf8(text);
}

const SfBareItem *SfParameters::find(QByteArrayView key) const
{
    for (const auto &entry : entries) {
        if (entry.first == key)
            return &entry.second;
    }
    return nullptr;
}

void SfParameters::set(const QByteArray &key, const SfBareItem &value)
{
    for (auto &entry : entries) {
        if (entry.first == key) {
            entry.second = value;
            return;
        }
    }
    entries.append({key, value});
}

SfMember SfMember::fromItem(const SfItem &item) { SfMember member; member.item = item; return member; }
SfMember SfMember::fromInnerList(const SfInnerList &list) { SfMember member; member.isInnerList = true; member.innerList = list; return member; }

const SfMember *SfDictionary::find(QByteArrayView key) const
{
    for (const auto &entry : entries) {
        if (entry.first == key)
            return &entry.second;
    }
    return nullptr;
}

void SfDictionary::set(const QByteArray &key, const SfMember &value)
{
    for (auto &entry : entries) {
        if (entry.first == key) {
            entry.second = value;
            return;
        }
    }
    entries.append({key, value});
}

QList<QByteArray> SfDictionary::keys() const
{
    QList<QByteArray> result;
    for (const auto &entry : entries)
        result.append(entry.first);
    return result;
}

std::expected<SfItem, SfError> parseSfItem(QByteArrayView input)
{
    return parseTopLevel<SfItem>(input, [](Parser &parser) { return parser.parseItem(); });
}

std::expected<SfList, SfError> parseSfList(QByteArrayView input)
{
    return parseTopLevel<SfList>(input, [](Parser &parser) { return parser.parseList(); });
}

std::expected<SfDictionary, SfError> parseSfDictionary(QByteArrayView input)
{
    return parseTopLevel<SfDictionary>(input, [](Parser &parser) { return parser.parseDictionary(); });
}

std::expected<SfBareItem, SfError> parseSfBareItem(QByteArrayView input, qsizetype *consumed)
{
    Parser parser(input);
    auto result = parser.parseBareItem();
    if (consumed)
        *consumed = result ? parser.position() : 0;
    return result;
}

bool isValidSfKey(QByteArrayView key)
{
    if (key.isEmpty() || (!isLcAlpha(key[0]) && key[0] != '*'))
        return false;
    return std::all_of(key.begin(), key.end(), isKeyChar);
}

bool isValidSfToken(QByteArrayView token)
{
    if (token.isEmpty() || (!isAlpha(token[0]) && token[0] != '*'))
        return false;
    return std::all_of(token.begin(), token.end(), [](char c) { return isTchar(c) || c == ':' || c == '/'; });
}

// §4.1.3 - §4.1.8
std::expected<QByteArray, SfError> serializeSfBareItem(const SfBareItem &item)
{
    switch (item.type) {
    case SfType::Integer:
        if (item.integer < -MaxInteger || item.integer > MaxInteger)
            return serializeError(QStringLiteral("The integer %1 is out of the RFC 8941 range.").arg(item.integer));
        return QByteArray::number(item.integer);
    case SfType::Decimal: {
        // §4.1.5: round to 3 fractional digits, ties to even (nearbyint in the default mode).
        const double scaled = std::nearbyint(item.decimal * 1000.0);
        if (!std::isfinite(scaled) || std::fabs(scaled) >= 1e15)
            return serializeError(QStringLiteral("The decimal is out of the RFC 8941 range."));
        const qint64 thousandths = qint64(scaled);
        const qint64 magnitude = thousandths < 0 ? -thousandths : thousandths;
        QByteArray out = thousandths < 0 ? QByteArrayLiteral("-") : QByteArray();
        out += QByteArray::number(magnitude / 1000) + '.';
        QByteArray fraction = QByteArray::number(magnitude % 1000).rightJustified(3, '0');
        while (fraction.size() > 1 && fraction.endsWith('0'))
            fraction.chop(1);
        return out + fraction;
    }
    case SfType::String: {
        QByteArray out("\"");
        for (char c : item.text) {
            if (quint8(c) < 0x20 || quint8(c) > 0x7e)
                return serializeError(QStringLiteral("A string may hold printable ASCII only."));
            if (c == '"' || c == '\\')
                out.append('\\');
            out.append(c);
        }
        return out + '"';
    }
    case SfType::Token:
        if (!isValidSfToken(item.text))
            return serializeError(QStringLiteral("\"%1\" is not a valid token.").arg(QString::fromLatin1(item.text)));
        return item.text;
    case SfType::ByteSequence:
        return ':' + item.text.toBase64() + ':';
    case SfType::Boolean:
        return item.boolean ? QByteArrayLiteral("?1") : QByteArrayLiteral("?0");
    }
    return serializeError(QStringLiteral("Unknown item type."));
}

// §4.1.1.2
std::expected<QByteArray, SfError> serializeSfParameters(const SfParameters &parameters)
{
    QByteArray out;
    for (const auto &[key, value] : parameters.entries) {
        if (!isValidSfKey(key))
            return serializeError(QStringLiteral("\"%1\" is not a valid key.").arg(QString::fromLatin1(key)));
        out += ';' + key;
        if (value.type == SfType::Boolean && value.boolean)
            continue;
        auto bare = serializeSfBareItem(value);
        if (!bare)
            return bare;
        out += '=' + *bare;
    }
    return out;
}

// §4.1.3
std::expected<QByteArray, SfError> serializeSfItem(const SfItem &item)
{
    auto bare = serializeSfBareItem(item.bare);
    if (!bare)
        return bare;
    auto parameters = serializeSfParameters(item.parameters);
    if (!parameters)
        return parameters;
    return *bare + *parameters;
}

// §4.1.1.1
std::expected<QByteArray, SfError> serializeSfInnerList(const SfInnerList &list)
{
    QByteArray out("(");
    for (qsizetype i = 0; i < list.items.size(); ++i) {
        auto item = serializeSfItem(list.items[i]);
        if (!item)
            return item;
        if (i > 0)
            out += ' ';
        out += *item;
    }
    auto parameters = serializeSfParameters(list.parameters);
    if (!parameters)
        return parameters;
    return out + ')' + *parameters;
}

std::expected<QByteArray, SfError> serializeSfMember(const SfMember &member)
{
    return member.isInnerList ? serializeSfInnerList(member.innerList) : serializeSfItem(member.item);
}

// §4.1.1
std::expected<QByteArray, SfError> serializeSfList(const SfList &list)
{
    QByteArray out;
    for (qsizetype i = 0; i < list.size(); ++i) {
        auto member = serializeSfMember(list[i]);
        if (!member)
            return member;
        if (i > 0)
            out += ", ";
        out += *member;
    }
    return out;
}

// §4.1.2
std::expected<QByteArray, SfError> serializeSfDictionary(const SfDictionary &dictionary)
{
    QByteArray out;
    for (qsizetype i = 0; i < dictionary.entries.size(); ++i) {
        const auto &[key, member] = dictionary.entries[i];
        if (!isValidSfKey(key))
            return serializeError(QStringLiteral("\"%1\" is not a valid key.").arg(QString::fromLatin1(key)));
        if (i > 0)
            out += ", ";
        out += key;
        if (!member.isInnerList && member.item.bare.type == SfType::Boolean && member.item.bare.boolean) {
            auto parameters = serializeSfParameters(member.item.parameters);
            if (!parameters)
                return parameters;
            out += *parameters;
            continue;
        }
        auto value = serializeSfMember(member);
        if (!value)
            return value;
        out += '=' + *value;
    }
    return out;
}

} // namespace Verify
