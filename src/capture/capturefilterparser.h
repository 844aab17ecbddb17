#pragma once

#include "capture/capturefilter.h"

namespace Capture {

/// Recursive-descent parser for the capture filter language (see CaptureFilter::syntaxHelp):
///   expr := and ( ("or" | "||") and )*      and := unary ( ["and" | "&&"] unary )*
///   unary := ("not" | "!") unary | "(" expr ")" | term      term := field[ "[" name "]" ] ":" value | value
class FilterParser final
{
public:
    FilterParser(QStringView text, const QDateTime &now);
    std::expected<CaptureFilter, CaptureFilter::Error> run();

private:
    struct Token
    {
        enum class Kind { End, LeftParen, RightParen, And, Or, Not, Term } kind = Kind::End;
        int position = 0;
        int length = 0;
        QString field;      // lowercased; empty for a bare value
        QString headerName; // header[name]
        QString value;
        int valuePosition = 0;
        bool quoted = false;
        bool hasColon = false;
    };

    std::expected<Token, CaptureFilter::Error> lex();
    std::expected<void, CaptureFilter::Error> advance();
    std::expected<int, CaptureFilter::Error> parseOr();
    std::expected<int, CaptureFilter::Error> parseAnd();
    std::expected<int, CaptureFilter::Error> parseUnary();
    std::expected<int, CaptureFilter::Error> parseTerm(const Token &token);
    std::expected<void, CaptureFilter::Error> parseNumber(const Token &token, CaptureFilter::Node &node);
    std::expected<void, CaptureFilter::Error> parseTime(const Token &token, CaptureFilter::Node &node);
    int add(CaptureFilter::Node node);
    int addBinary(CaptureFilter::Node::Kind kind, int left, int right);

    QStringView m_text;
    QDateTime m_now;
    int m_position = 0;
    Token m_current;
    CaptureFilter m_filter;
};

} // namespace Capture
