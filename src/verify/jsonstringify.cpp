#include "verify/jsonstringify.h"

#include "verify/jsonwriter.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <vector>

namespace Verify {

namespace {

/// A parsed JSON value that keeps object members in JavaScript property order.
struct JsValue
{
    enum class Kind { Null, Boolean, Number, String, Array, Object };
    Kind kind = Kind::Null;
    bool boolean = false;
    double number = 0;
    QString string;               // UTF-16, may hold lone surrogates like a JS string
    std::vector<JsValue> items;   // Array elements, or Object values
    std::vector<QString> keys;    // Object keys, parallel to items
};

constexpr int MaxDepth = 512;

// JSON text (RFC 8259) parser with JSON.parse semantics over UTF-16.
class JsonParser
{
public:
    explicit JsonParser(const QString &text) : m_text(text) {}

    std::expected<JsValue, QString> parseDocument()
    {
        skipWhitespace();
        auto value = parseValue(0);
        if (!value)
            return value;
        skipWhitespace();
        if (m_pos != m_text.size())
            return fail(QStringLiteral("unexpected text after the JSON value"));
        return value;
    }

private:
    std::unexpected<QString> fail(const QString &what) const
    {
        return std::unexpected(QStringLiteral("The body is not JSON: %1 at character %2.").arg(what).arg(m_pos));
    }

    QChar peek() const { return m_pos < m_text.size() ? m_text.at(m_pos) : QChar(); }

    void skipWhitespace()
    {
        while (m_pos < m_text.size()) {
            const char16_t c = m_text.at(m_pos).unicode();
            if (c != u' ' && c != u'\t' && c != u'\n' && c != u'\r')
                break;
            ++m_pos;
        }
    }

    bool consumeLiteral(QStringView literal)
    {
        if (QStringView(m_text).sliced(m_pos).startsWith(literal)) {
            m_pos += literal.size();
            return true;
        }
        return false;
    }

    std::expected<JsValue, QString> parseValue(int depth)
    {
        if (depth > MaxDepth)
            return fail(QStringLiteral("nesting deeper than %1 levels").arg(MaxDepth));
        JsValue value;
        const QChar c = peek();
        if (c == u'{')
            return parseObject(depth);
        if (c == u'[')
            return parseArray(depth);
        if (c == u'"') {
            auto string = parseString();
            if (!string)
                return std::unexpected(string.error());
            value.kind = JsValue::Kind::String;
            value.string = *string;
            return value;
        }
        if (c == u'-' || (c >= u'0' && c <= u'9'))
            return parseNumber();
        if (consumeLiteral(u"true")) {
            value.kind = JsValue::Kind::Boolean;
            value.boolean = true;
            return value;
        }
        if (consumeLiteral(u"false")) {
            value.kind = JsValue::Kind::Boolean;
            return value;
        }
        if (consumeLiteral(u"null"))
            return value;
        return fail(m_pos >= m_text.size() ? QStringLiteral("unexpected end") : QStringLiteral("unexpected character"));
    }

    std::expected<JsValue, QString> parseObject(int depth)
    {
        JsValue object;
        object.kind = JsValue::Kind::Object;
        ++m_pos;
        skipWhitespace();
        if (peek() == u'}') {
            ++m_pos;
            return object;
        }
        while (true) {
            skipWhitespace();
            if (peek() != u'"')
                return fail(QStringLiteral("expected a member name"));
            auto key = parseString();
            if (!key)
                return std::unexpected(key.error());
            skipWhitespace();
            if (peek() != u':')
                return fail(QStringLiteral("expected ':'"));
            ++m_pos;
            skipWhitespace();
            auto member = parseValue(depth + 1);
            if (!member)
                return member;
            // A repeated name keeps its first position and takes the last value, as JSON.parse does.
            auto existing = std::find(object.keys.begin(), object.keys.end(), *key);
            if (existing != object.keys.end()) {
                object.items[size_t(existing - object.keys.begin())] = std::move(*member);
            } else {
                object.keys.push_back(*key);
                object.items.push_back(std::move(*member));
            }
            skipWhitespace();
            if (peek() == u',') {
                ++m_pos;
                continue;
            }
            if (peek() == u'}') {
                ++m_pos;
                return object;
            }
            return fail(QStringLiteral("expected ',' or '}'"));
        }
    }

    std::expected<JsValue, QString> parseArray(int depth)
    {
        JsValue array;
        array.kind = JsValue::Kind::Array;
        ++m_pos;
        skipWhitespace();
        if (peek() == u']') {
            ++m_pos;
            return array;
        }
        while (true) {
            skipWhitespace();
            auto element = parseValue(depth + 1);
            if (!element)
                return element;
            array.items.push_back(std::move(*element));
            skipWhitespace();
            if (peek() == u',') {
                ++m_pos;
                continue;
            }
            if (peek() == u']') {
                ++m_pos;
                return array;
            }
            return fail(QStringLiteral("expected ',' or ']'"));
        }
    }

    std::expected<QString, QString> parseString()
    {
        ++m_pos;
        QString out;
        while (m_pos < m_text.size()) {
            const char16_t c = m_text.at(m_pos++).unicode();
            if (c == u'"')
                return out;
            if (c < 0x20)
                return fail(QStringLiteral("unescaped control character in a string"));
            if (c != u'\\') {
                out.append(QChar(c));
                continue;
            }
            if (m_pos >= m_text.size())
                break;
            const char16_t e = m_text.at(m_pos++).unicode();
            switch (e) {
            case u'"': out.append(u'"'); break;
            case u'\\': out.append(u'\\'); break;
            case u'/': out.append(u'/'); break;
            case u'b': out.append(QChar(0x08)); break;
            case u'f': out.append(QChar(0x0c)); break;
            case u'n': out.append(QChar(0x0a)); break;
            case u'r': out.append(QChar(0x0d)); break;
            case u't': out.append(QChar(0x09)); break;
            case u'u': {
                if (m_pos + 4 > m_text.size())
                    return fail(QStringLiteral("short \\u escape"));
                bool ok = false;
                const uint unit = QStringView(m_text).sliced(m_pos, 4).toUInt(&ok, 16);
                const bool hexOnly = std::all_of(m_text.begin() + m_pos, m_text.begin() + m_pos + 4,
                                                 [](QChar h) { return std::isxdigit(h.unicode()) != 0; });
                if (!ok || !hexOnly)
                    return fail(QStringLiteral("invalid \\u escape"));
                out.append(QChar(char16_t(unit)));
                m_pos += 4;
                break;
            }
            default:
                return fail(QStringLiteral("invalid escape"));
            }
        }
        return fail(QStringLiteral("unterminated string"));
    }

    std::expected<JsValue, QString> parseNumber()
    {
        const qsizetype start = m_pos;
        const auto digits = [this] {
            const qsizetype from = m_pos;
            while (peek() >= u'0' && peek() <= u'9')
                ++m_pos;
            return m_pos - from;
        };
        if (peek() == u'-')
            ++m_pos;
        if (peek() == u'0') {
            ++m_pos;
        } else if (digits() == 0) {
            return fail(QStringLiteral("invalid number"));
        }
        if (peek() == u'.') {
            ++m_pos;
            if (digits() == 0)
                return fail(QStringLiteral("invalid number"));
        }
        if (peek() == u'e' || peek() == u'E') {
            ++m_pos;
            if (peek() == u'+' || peek() == u'-')
                ++m_pos;
            if (digits() == 0)
                return fail(QStringLiteral("invalid number"));
        }
        const QByteArray text = QStringView(m_text).sliced(start, m_pos - start).toLatin1();
        JsValue value;
        value.kind = JsValue::Kind::Number;
        // strtod rounds correctly, as ECMA-262 StringToNumber does; overflow gives infinity.
        value.number = std::strtod(text.constData(), nullptr);
        return value;
    }

    const QString &m_text;
    qsizetype m_pos = 0;
};

// ECMA-262 CanonicalNumericIndexString restricted to array indices (0 ..= 2^32 - 2).
bool isArrayIndex(const QString &key)
{
    if (key.isEmpty() || key.size() > 10 || (key.size() > 1 && key.at(0) == u'0'))
        return false;
    quint64 value = 0;
    for (QChar c : key) {
        if (c < u'0' || c > u'9')
            return false;
        value = value * 10 + quint64(c.unicode() - u'0');
    }
    return value <= 4294967294ULL;
}

// ECMA-262 OrdinaryOwnPropertyKeys: integer indices ascending, then strings in creation order.
std::vector<size_t> propertyOrder(const JsValue &object, bool sortKeys)
{
    std::vector<size_t> order(object.keys.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    const auto &keys = object.keys;
    if (sortKeys) {
        std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
            return std::lexicographical_compare(keys[a].begin(), keys[a].end(), keys[b].begin(), keys[b].end(),
                                                [](QChar x, QChar y) { return x.unicode() < y.unicode(); });
        });
        return order;
    }
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        const bool indexA = isArrayIndex(keys[a]);
        const bool indexB = isArrayIndex(keys[b]);
        if (indexA && indexB)
            return keys[a].toULongLong() < keys[b].toULongLong();
        return indexA && !indexB;
    });
    return order;
}

// ECMA-262 QuoteJSONString (well-formed JSON.stringify).
void quote(const QString &string, QByteArray &out)
{
    appendJsonString(out, string);
}

// ECMA-262 SerializeJSONProperty / SerializeJSONObject / SerializeJSONArray.
void stringify(const JsValue &value, const JsonStringifyOptions &options, const QByteArray &indent, QByteArray &out)
{
    switch (value.kind) {
    case JsValue::Kind::Null: out += "null"; return;
    case JsValue::Kind::Boolean: out += value.boolean ? "true" : "false"; return;
    case JsValue::Kind::Number: out += std::isfinite(value.number) ? formatJsNumber(value.number) : QByteArray("null"); return;
    case JsValue::Kind::String: quote(value.string, out); return;
    case JsValue::Kind::Array:
    case JsValue::Kind::Object: break;
    }
    const bool isObject = value.kind == JsValue::Kind::Object;
    const char open = isObject ? '{' : '[';
    const char close = isObject ? '}' : ']';
    if (value.items.empty()) {
        out += open;
        out += close;
        return;
    }
    const QByteArray inner = indent + QByteArray(options.indent, ' ');
    const std::vector<size_t> order = isObject ? propertyOrder(value, options.sortKeys) : std::vector<size_t>();
    out += open;
    for (size_t n = 0; n < value.items.size(); ++n) {
        const size_t i = isObject ? order[n] : n;
        if (n > 0)
            out += ',';
        if (options.indent > 0)
            out += '\n' + inner;
        if (isObject) {
            quote(value.keys[i], out);
            out += options.indent > 0 ? ": " : ":";
        }
        stringify(value.items[i], options, inner, out);
    }
    if (options.indent > 0)
        out += '\n' + indent;
    out += close;
}

} // namespace

QByteArray formatJsNumber(double value)
{
    if (value == 0)
        return QByteArrayLiteral("0"); // also -0 (ECMA-262 Number::toString step 2)
    if (!std::isfinite(value))
        return std::isnan(value) ? QByteArrayLiteral("NaN") : (value > 0 ? QByteArrayLiteral("Infinity") : QByteArrayLiteral("-Infinity"));
    // The shortest round-trip digits (ECMA-262 §6.1.6.1.20 step 5), from to_chars' scientific form.
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, std::fabs(value), std::chars_format::scientific);
    const QByteArray scientific(buffer, result.ptr - buffer);
    const qsizetype e = scientific.indexOf('e');
    QByteArray digits = scientific.first(e);
    digits.replace(".", "");
    const int k = int(digits.size());
    const int n = scientific.sliced(e + 1).toInt() + 1;
    QByteArray out = value < 0 ? QByteArrayLiteral("-") : QByteArray();
    if (k <= n && n <= 21)
        out += digits + QByteArray(n - k, '0');
    else if (0 < n && n <= 21)
        out += digits.first(n) + '.' + digits.sliced(n);
    else if (-6 < n && n <= 0)
        out += "0." + QByteArray(-n, '0') + digits;
    else {
        const int exponent = n - 1;
        out += digits.first(1);
        if (k > 1)
            out += '.' + digits.sliced(1);
        out += 'e';
        out += exponent < 0 ? '-' : '+';
        out += QByteArray::number(std::abs(exponent));
    }
    return out;
}

std::expected<QByteArray, QString> jsonStringify(QByteArrayView json, const JsonStringifyOptions &options)
{
    // JSON.parse does not skip a byte order mark (it is not JSON whitespace); QString::fromUtf8
    // would drop it silently, so refuse it here.
    if (json.startsWith(QByteArrayView("\xEF\xBB\xBF")))
        return std::unexpected(QStringLiteral("The body is not JSON: it starts with a UTF-8 byte order mark."));
    // Decoding as UTF-8 replaces invalid sequences with U+FFFD, as Node's TextDecoder does.
    const QString text = QString::fromUtf8(json);
    JsonParser parser(text);
    auto value = parser.parseDocument();
    if (!value)
        return std::unexpected(value.error());
    JsonStringifyOptions effective = options;
    effective.indent = std::clamp(options.indent, 0, 10); // ECMA-262 JSON.stringify step 6
    QByteArray out;
    stringify(*value, effective, QByteArray(), out);
    return out;
}

} // namespace Verify
