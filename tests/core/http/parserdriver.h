#pragma once

#include "http/requestparser.h"

#include <QByteArray>
#include <QList>
#include <QString>

/// Feeds a byte stream to a RequestParser the way the listener does (unconsumed bytes are kept
/// and offered again with the next piece) and checks the parser's invariants on every call.
struct ParserDriver
{
    QList<Http::CapturedRequest> requests; // completed, in order
    QList<bool> wantsClose;                // wantsClose() of each completed request
    bool failed = false;
    Http::CapturedRequest rejected;        // the partial request when failed
    qsizetype consumed = 0;                // total bytes the parser took
    QString violation;                     // first broken invariant, empty if none

    /// Runs input through a fresh parser, cut into pieces at the given ascending offsets.
    static ParserDriver run(QByteArrayView input, const QList<qsizetype> &cuts, Http::ParserLimits limits = {})
    {
        ParserDriver driver;
        Http::RequestParser parser(limits);
        QByteArray pending;
        qsizetype offered = 0;
        QList<qsizetype> ends = cuts;
        ends.append(input.size());
        for (qsizetype end : std::as_const(ends)) {
            if (end < offered || end > input.size())
                continue;
            pending.append(input.sliced(offered, end - offered));
            offered = end;
            if (!driver.pump(parser, pending, input))
                break;
        }
        if (driver.failed && driver.violation.isEmpty()) {
            // RequestParser contract: after an error nothing is ever consumed again
            if (parser.feed(input.sliced(driver.consumed)) != 0 || parser.feed("GET / HTTP/1.1\r\n") != 0
                || parser.state() != Http::RequestParser::State::Error)
                driver.violation = QStringLiteral("parser consumed bytes after an error");
            driver.rejected = parser.takeRequest();
        }
        return driver;
    }

    /// Every offset as a two-piece cut, plus whole and byte-by-byte; used by the split tests.
    static QList<QList<qsizetype>> allCutPatterns(qsizetype size)
    {
        QList<QList<qsizetype>> patterns{{}};
        for (qsizetype cut = 0; cut <= size; ++cut)
            patterns.append(QList<qsizetype>{cut});
        QList<qsizetype> bytes;
        for (qsizetype cut = 1; cut < size; ++cut)
            bytes.append(cut);
        patterns.append(bytes);
        return patterns;
    }

    /// Everything the parser produced for a request, as text, to compare runs with each other.
    static QByteArray describe(const Http::CapturedRequest &request)
    {
        QByteArray out = request.method + ' ' + request.target + ' ' + request.version + '\n';
        const auto fields = [&out](const QList<Http::HeaderField> &list) {
            for (const Http::HeaderField &field : list) {
                out += field.name + ':' + field.value + '@' + QByteArray::number(field.lineOffset) + '+'
                    + QByteArray::number(field.lineLength) + '\n';
            }
        };
        fields(request.headers);
        out += "trailers\n";
        fields(request.trailers);
        out += "chunked=" + QByteArray::number(request.chunked) + " body=" + QByteArray::number(request.bodyOffset)
            + '+' + QByteArray::number(request.bodyLength) + ' ' + request.bodyView().toByteArray().toHex() + '\n';
        out += "rejection=" + QByteArray::number(request.rejection.status) + ' ' + request.rejection.code.toLatin1()
            + '@' + QByteArray::number(request.rejection.offset) + '\n';
        out += "raw=" + request.raw.toHex();
        return out;
    }

private:
    void check(bool ok, const QString &what)
    {
        if (!ok && violation.isEmpty())
            violation = what;
    }

    // Feeds pending until the parser needs more bytes; false when it failed.
    bool pump(Http::RequestParser &parser, QByteArray &pending, QByteArrayView input)
    {
        using State = Http::RequestParser::State;
        for (;;) {
            const qsizetype taken = parser.feed(pending);
            check(taken >= 0 && taken <= pending.size(), QStringLiteral("feed() returned an impossible count"));
            consumed += taken;
            pending.remove(0, taken);
            const Http::CapturedRequest &request = parser.request();
            // Everything consumed since the request's first byte is in raw, byte-exact (only
            // leading empty lines are dropped, and they come before that first byte).
            check(request.raw.size() <= consumed && input.sliced(consumed - request.raw.size()).startsWith(request.raw),
                  QStringLiteral("raw is not the consumed input"));
            check(parser.isIdle() == (parser.state() == State::RequestLine && request.raw.isEmpty()),
                  QStringLiteral("isIdle() inconsistent"));
            for (const Http::HeaderField &field : request.headers) {
                check(field.lineOffset >= 0 && field.lineOffset + field.lineLength <= request.raw.size()
                          && request.rawLine(field).startsWith(field.name),
                      QStringLiteral("header line offsets do not point at the field"));
            }
            if (parser.state() == State::Error) {
                check(parser.rejection().status >= 400 && !parser.rejection().code.isEmpty()
                          && parser.rejection().offset == request.raw.size(),
                      QStringLiteral("rejection incomplete"));
                failed = true;
                return false;
            }
            if (parser.state() != State::Complete) {
                check(pending.isEmpty(),
                      QStringLiteral("parser stopped early without completing"));
                return true;
            }
            check(request.bodyOffset + (request.chunked ? 0 : request.bodyLength) <= request.raw.size(),
                  QStringLiteral("body slice outside raw"));
            check(!parser.expectsContinue(), QStringLiteral("expectsContinue() after the body completed"));
            wantsClose.append(parser.wantsClose());
            requests.append(parser.takeRequest());
            check(parser.isIdle(), QStringLiteral("not idle after takeRequest()"));
        }
    }
};
