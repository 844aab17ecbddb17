#include "capture/capturefilterparser.h"

#include <QHash>
#include <QRegularExpression>
#include <QTimeZone>

namespace Capture {

using Error = CaptureFilter::Error;
using Node = CaptureFilter::Node;
using Field = CaptureFilter::Field;
using Op = CaptureFilter::Op;

namespace {

Error errorAt(int position, int length, const QString &message)
{
    return Error{position, qMax(1, length), message};
}

const QHash<QString, Field> &fieldNames()
{
    static const QHash<QString, Field> names = {
        {QStringLiteral("method"), Field::Method},     {QStringLiteral("path"), Field::Path},
        {QStringLiteral("header"), Field::Header},     {QStringLiteral("body"), Field::Body},
        {QStringLiteral("verdict"), Field::Verdict},   {QStringLiteral("problem"), Field::Problem},
        {QStringLiteral("status"), Field::Status},     {QStringLiteral("endpoint"), Field::Endpoint},
        {QStringLiteral("time"), Field::Time},         {QStringLiteral("event"), Field::Event},
        {QStringLiteral("digest"), Field::Digest},     {QStringLiteral("signature"), Field::Signature},
        {QStringLiteral("size"), Field::Size},         {QStringLiteral("id"), Field::Id},
        {QStringLiteral("is"), Field::Pinned},
    };
    return names;
}

bool isTermChar(QChar c)
{
    return !c.isSpace() && c != QLatin1Char('(') && c != QLatin1Char(')');
}

// Splits an operator prefix (>=, <=, >, <, =, !=) from a value.
Op comparison(QString &value)
{
    static const std::pair<const char *, Op> ops[] = {
        {">=", Op::GreaterEqual}, {"<=", Op::LessEqual}, {"!=", Op::NotEquals},
        {">", Op::Greater},       {"<", Op::Less},       {"=", Op::Equals},
    };
    for (const auto &[text, op] : ops) {
        if (value.startsWith(QLatin1StringView(text))) {
            value.remove(0, qsizetype(qstrlen(text)));
            return op;
        }
    }
    return Op::Equals;
}

} // namespace

FilterParser::FilterParser(QStringView text, const QDateTime &now)
    : m_text(text)
    , m_now(now)
{
}

std::expected<CaptureFilter, Error> FilterParser::run()
{
    if (auto first = advance(); !first)
        return std::unexpected(first.error());
    if (m_current.kind == Token::Kind::End)
        return m_filter; // empty text: matches everything
    auto root = parseOr();
    if (!root)
        return std::unexpected(root.error());
    if (m_current.kind == Token::Kind::RightParen)
        return std::unexpected(errorAt(m_current.position, 1, QStringLiteral("unexpected ')'")));
    if (m_current.kind != Token::Kind::End)
        return std::unexpected(errorAt(m_current.position, m_current.length, QStringLiteral("expected 'and', 'or' or the end")));
    m_filter.m_root = *root;
    return m_filter;
}

std::expected<void, Error> FilterParser::advance()
{
    auto token = lex();
    if (!token)
        return std::unexpected(token.error());
    m_current = *token;
    return {};
}

std::expected<FilterParser::Token, Error> FilterParser::lex()
{
    const int size = int(m_text.size());
    while (m_position < size && m_text[m_position].isSpace())
        ++m_position;
    Token token;
    token.position = m_position;
    if (m_position >= size)
        return token;
    const QChar c = m_text[m_position];
    auto single = [&](Token::Kind kind, int length) {
        token.kind = kind;
        token.length = length;
        m_position += length;
        return token;
    };
    if (c == QLatin1Char('('))
        return single(Token::Kind::LeftParen, 1);
    if (c == QLatin1Char(')'))
        return single(Token::Kind::RightParen, 1);
    const QStringView rest = m_text.sliced(m_position);
    if (rest.startsWith(u"&&"))
        return single(Token::Kind::And, 2);
    if (rest.startsWith(u"||"))
        return single(Token::Kind::Or, 2);
    if (c == QLatin1Char('!') && !rest.startsWith(u"!="))
        return single(Token::Kind::Not, 1);

    token.kind = Token::Kind::Term;
    // field name (letters) with an optional [header-name], then ':'
    int p = m_position;
    while (p < size && (m_text[p].isLetter()))
        ++p;
    int afterField = p;
    QString headerName;
    if (p < size && m_text[p] == QLatin1Char('[') && p > m_position) {
        const int close = int(m_text.indexOf(QLatin1Char(']'), p));
        if (close < 0)
            return std::unexpected(errorAt(p, size - p, QStringLiteral("missing ']' after the header name")));
        headerName = m_text.sliced(p + 1, close - p - 1).trimmed().toString();
        if (headerName.isEmpty())
            return std::unexpected(errorAt(p, close - p + 1, QStringLiteral("empty header name")));
        afterField = close + 1;
    }
    int valueStart = m_position;
    if (afterField < size && m_text[afterField] == QLatin1Char(':') && afterField > m_position) {
        token.field = m_text.sliced(m_position, p - m_position).toString().toLower();
        token.headerName = headerName;
        token.hasColon = true;
        valueStart = afterField + 1;
    } else if (!headerName.isEmpty()) {
        // header[name] without ':' tests that the header is present
        token.field = m_text.sliced(m_position, p - m_position).toString().toLower();
        token.headerName = headerName;
        token.length = afterField - m_position;
        m_position = afterField;
        return token;
    }
    token.valuePosition = valueStart;
    p = valueStart;
    if (p < size && m_text[p] == QLatin1Char('"')) {
        token.quoted = true;
        ++p;
        QString value;
        for (;; ++p) {
            if (p >= size)
                return std::unexpected(errorAt(valueStart, size - valueStart, QStringLiteral("unterminated quote")));
            if (m_text[p] == QLatin1Char('\\') && p + 1 < size) {
                value.append(m_text[++p]);
                continue;
            }
            if (m_text[p] == QLatin1Char('"'))
                break;
            value.append(m_text[p]);
        }
        ++p;
        token.value = value;
    } else {
        while (p < size && isTermChar(m_text[p]))
            ++p;
        token.value = m_text.sliced(valueStart, p - valueStart).toString();
    }
    token.length = p - m_position;
    m_position = p;
    if (!token.hasColon && !token.quoted) {
        const QString word = token.value.toLower();
        if (word == QLatin1StringView("and"))
            token.kind = Token::Kind::And;
        else if (word == QLatin1StringView("or"))
            token.kind = Token::Kind::Or;
        else if (word == QLatin1StringView("not"))
            token.kind = Token::Kind::Not;
    }
    return token;
}

int FilterParser::add(Node node)
{
    m_filter.m_nodes.push_back(std::move(node));
    return int(m_filter.m_nodes.size()) - 1;
}

int FilterParser::addBinary(Node::Kind kind, int left, int right)
{
    Node node;
    node.kind = kind;
    node.left = left;
    node.right = right;
    return add(std::move(node));
}

std::expected<int, Error> FilterParser::parseOr()
{
    auto left = parseAnd();
    if (!left)
        return left;
    while (m_current.kind == Token::Kind::Or) {
        if (auto next = advance(); !next)
            return std::unexpected(next.error());
        auto right = parseAnd();
        if (!right)
            return right;
        left = addBinary(Node::Kind::Or, *left, *right);
    }
    return left;
}

std::expected<int, Error> FilterParser::parseAnd()
{
    auto left = parseUnary();
    if (!left)
        return left;
    for (;;) {
        if (m_current.kind == Token::Kind::And) {
            if (auto next = advance(); !next)
                return std::unexpected(next.error());
        } else if (m_current.kind != Token::Kind::Term && m_current.kind != Token::Kind::Not
                   && m_current.kind != Token::Kind::LeftParen) {
            return left; // juxtaposition means "and"
        }
        auto right = parseUnary();
        if (!right)
            return right;
        left = addBinary(Node::Kind::And, *left, *right);
    }
}

std::expected<int, Error> FilterParser::parseUnary()
{
    const Token token = m_current;
    switch (token.kind) {
    case Token::Kind::Not: {
        if (auto next = advance(); !next)
            return std::unexpected(next.error());
        auto operand = parseUnary();
        if (!operand)
            return operand;
        Node node;
        node.kind = Node::Kind::Not;
        node.left = *operand;
        return add(node);
    }
    case Token::Kind::LeftParen: {
        if (auto next = advance(); !next)
            return std::unexpected(next.error());
        auto inner = parseOr();
        if (!inner)
            return inner;
        if (m_current.kind != Token::Kind::RightParen)
            return std::unexpected(errorAt(m_current.position, m_current.length,
                                           QStringLiteral("expected ')' to close the '(' at %1").arg(token.position + 1)));
        if (auto next = advance(); !next)
            return std::unexpected(next.error());
        return inner;
    }
    case Token::Kind::Term: {
        if (auto next = advance(); !next)
            return std::unexpected(next.error());
        return parseTerm(token);
    }
    case Token::Kind::End:
        return std::unexpected(errorAt(token.position, 1, QStringLiteral("expected a term after this point")));
    case Token::Kind::RightParen:
        return std::unexpected(errorAt(token.position, 1, QStringLiteral("unexpected ')'")));
    case Token::Kind::And:
    case Token::Kind::Or:
        return std::unexpected(errorAt(token.position, token.length, QStringLiteral("expected a term before '%1'")
                                                                         .arg(m_text.sliced(token.position, token.length))));
    }
    return std::unexpected(errorAt(token.position, 1, QStringLiteral("unexpected input")));
}

std::expected<int, Error> FilterParser::parseTerm(const Token &token)
{
    Node node;
    node.kind = Node::Kind::Term;
    if (token.field.isEmpty()) {
        node.field = Field::Any;
        node.text = token.value.toLower();
        node.bytes = token.value.toUtf8();
        node.lowered = node.text.toUtf8();
        return add(node);
    }
    const auto field = fieldNames().constFind(token.field);
    if (field == fieldNames().cend())
        return std::unexpected(errorAt(token.position, int(token.field.size()),
                                       QStringLiteral("unknown field '%1' (method, path, header[name], body, verdict, problem, "
                                                      "status, endpoint, time, event, digest, signature, size, id, is)")
                                           .arg(token.field)));
    node.field = *field;
    if (!token.headerName.isEmpty() && node.field != Field::Header)
        return std::unexpected(errorAt(token.position, token.length, QStringLiteral("only 'header' takes a [name]")));
    if (node.field == Field::Header && token.headerName.isEmpty())
        return std::unexpected(errorAt(token.position, token.length, QStringLiteral("write header[name]:value, e.g. header[digest]:SHA-256")));
    node.headerName = token.headerName.toLower();
    if (node.field == Field::Header && !token.hasColon) {
        node.op = Op::Exists;
        node.storeTerm = int(m_filter.m_storeTerms.size());
        m_filter.m_storeTerms.emplace_back();
        return add(node);
    }
    if (token.value.isEmpty())
        return std::unexpected(errorAt(token.valuePosition, 1, QStringLiteral("expected a value after '%1:'").arg(token.field)));

    const auto badWord = [&](const QStringList &allowed) {
        return std::unexpected(errorAt(token.valuePosition, int(token.value.size()),
                                       QStringLiteral("unknown %1 '%2' (%3)").arg(token.field, token.value, allowed.join(QStringLiteral(", ")))));
    };
    switch (node.field) {
    case Field::Method:
    case Field::Endpoint:
        node.op = Op::Equals;
        node.text = token.value.toLower();
        node.bytes = token.value.toUpper().toUtf8();
        break;
    case Field::Path:
    case Field::Event:
    case Field::Header:
        node.op = Op::Contains;
        node.text = token.value.toLower();
        node.bytes = token.value.toUtf8();
        node.lowered = node.text.toUtf8();
        break;
    case Field::Body:
    case Field::Problem:
        node.op = node.field == Field::Body ? Op::Contains : Op::Equals;
        node.text = token.value;
        node.bytes = token.value.toUtf8();
        break;
    case Field::Verdict: {
        static const QStringList verdicts = {QStringLiteral("pending"), QStringLiteral("verified"), QStringLiteral("invalid"),
                                             QStringLiteral("unsigned"), QStringLiteral("key-unknown"), QStringLiteral("rejected")};
        QString word = token.value.toLower();
        if (word == QLatin1StringView("failed"))
            word = QStringLiteral("invalid");
        const qsizetype index = verdicts.indexOf(word);
        if (index < 0)
            return badWord(verdicts);
        node.op = Op::Equals;
        node.low = index;
        break;
    }
    case Field::Digest:
    case Field::Signature: {
        const QStringList &names = node.field == Field::Digest ? digestStatusNames() : signatureStatusNames();
        const qsizetype index = names.indexOf(token.value.toLower());
        if (index <= 0)
            return badWord(names.mid(1));
        node.op = Op::Equals;
        node.low = index;
        break;
    }
    case Field::Pinned:
        if (token.value.toLower() != QLatin1StringView("pinned"))
            return badWord({QStringLiteral("pinned")});
        node.op = Op::Equals;
        break;
    case Field::Status:
    case Field::Size:
    case Field::Id:
        if (auto number = parseNumber(token, node); !number)
            return std::unexpected(number.error());
        break;
    case Field::Time:
        if (auto time = parseTime(token, node); !time)
            return std::unexpected(time.error());
        break;
    case Field::Any:
        break;
    }
    if (node.field == Field::Header || node.field == Field::Body || node.field == Field::Problem) {
        node.storeTerm = int(m_filter.m_storeTerms.size());
        m_filter.m_storeTerms.emplace_back();
    }
    return add(node);
}

std::expected<void, Error> FilterParser::parseNumber(const Token &token, Node &node)
{
    QString value = token.value;
    const auto fail = [&] {
        return std::unexpected(errorAt(token.valuePosition, int(token.value.size()),
                                       QStringLiteral("'%1' needs a number, a comparison (>=400) or a range (400..499)").arg(token.field)));
    };
    if (node.field == Field::Status && value.size() == 3 && value.endsWith(QLatin1StringView("xx")) && value[0].isDigit()) {
        node.op = Op::Range; // 4xx
        node.low = value[0].digitValue() * 100;
        node.high = node.low + 99;
        return {};
    }
    const qsizetype dots = value.indexOf(QLatin1StringView(".."));
    bool ok = false;
    if (dots >= 0) {
        node.op = Op::Range;
        node.low = value.left(dots).toLongLong(&ok);
        bool okHigh = false;
        node.high = value.mid(dots + 2).toLongLong(&okHigh);
        if (!ok || !okHigh)
            return fail();
        return {};
    }
    node.op = comparison(value);
    node.low = value.toLongLong(&ok);
    if (!ok)
        return fail();
    return {};
}

std::expected<void, Error> FilterParser::parseTime(const Token &token, Node &node)
{
    // A moment and how long it spans: a date is a day, HH:mm a minute, HH:mm:ss a second.
    const auto moment = [&](QString text) -> std::optional<std::pair<qint64, qint64>> {
        text.replace(QLatin1Char(' '), QLatin1Char('T'));
        static const std::pair<const char *, qint64> forms[] = {
            {"yyyy-MM-ddTHH:mm:ss", 1000}, {"yyyy-MM-ddTHH:mm", 60'000}, {"yyyy-MM-dd", 86'400'000}};
        for (const auto &[format, span] : forms) {
            const QDateTime dt = QDateTime::fromString(text, QLatin1StringView(format));
            if (dt.isValid())
                return std::pair{dt.toMSecsSinceEpoch(), span};
        }
        static const std::pair<const char *, qint64> times[] = {{"HH:mm:ss", 1000}, {"HH:mm", 60'000}, {"H:mm", 60'000}};
        for (const auto &[format, span] : times) {
            const QTime time = QTime::fromString(text, QLatin1StringView(format));
            if (time.isValid())
                return std::pair{QDateTime(m_now.date(), time, m_now.timeZone()).toMSecsSinceEpoch(), span};
        }
        return std::nullopt;
    };
    const auto fail = [&] {
        return std::unexpected(errorAt(token.valuePosition, int(token.value.size()),
                                       QStringLiteral("'time' needs 2026-12-01T10:00, 10:00, a comparison (>10:00) or a range (10:00..11:00)")));
    };
    QString value = token.value;
    const qsizetype dots = value.indexOf(QLatin1StringView(".."));
    if (dots >= 0) {
        const auto low = moment(value.left(dots));
        const auto high = moment(value.mid(dots + 2));
        if (!low || !high)
            return fail();
        node.op = Op::Range;
        node.low = low->first;
        node.high = high->first + high->second - 1;
        return {};
    }
    node.op = comparison(value);
    const auto at = moment(value);
    if (!at)
        return fail();
    switch (node.op) {
    case Op::Equals:
        node.op = Op::Range;
        node.low = at->first;
        node.high = at->first + at->second - 1;
        break;
    case Op::Greater: // after the whole span
        node.low = at->first + at->second - 1;
        break;
    case Op::LessEqual:
        node.low = at->first + at->second - 1;
        break;
    default:
        node.low = at->first;
        break;
    }
    return {};
}

} // namespace Capture
