#pragma once

#include "http/capturedrequest.h"
#include "verify/policy.h"

#include <QDateTime>
#include <QStringList>

#include <expected>

namespace Cli {

/// Everything `hookscope verify` was asked for, filled from the command line.
struct VerifyCommandOptions
{
    QStringList keySources; // --jwks
    QStringList secrets;    // --secret KEYID=SECRET
    QDateTime now;          // --now (default: the current time)
    Verify::Policy policy;  // --policy NAME (or a policy JSON file), --max-skew applied
    QString scheme;         // --scheme http|https (RFC 9421 @scheme/@target-uri); empty: http
    bool json = false;
    QStringList files;      // FILE... ("-" is standard input)
};

/// Parses the arguments after "verify"; the error is one line naming the problem.
std::expected<VerifyCommandOptions, QString> parseVerifyArguments(const QStringList &arguments);

// --now: RFC 3339 ("2021-04-20T02:07:55Z", offsets allowed) or Unix seconds.
std::expected<QDateTime, QString> parseTimeArgument(const QString &text);

/// A raw request file parsed, with the positions where a CR was added to bare-LF head lines.
struct RawRequestFile
{
    Http::CapturedRequest request;
    QList<qsizetype> insertedCr; // offsets in request.raw of each CR that the file did not have
    // An offset in request.raw mapped back to the file's own bytes.
    qsizetype fileOffset(qsizetype rawOffset) const;
};

// One raw HTTP/1.1 request as on the wire. A head with bare LF line endings (hand-written files)
// gets CRLF before the strict parser sees it; the body is never touched. Blank lines after the
// request are ignored; other trailing bytes are an error (one sentence).
std::expected<RawRequestFile, QString> parseRawRequestFile(const QByteArray &bytes);

/// Runs `hookscope verify`; returns the exit code (0 all verified, 1 any not, 2 usage/unreadable).
int runVerify(const QStringList &arguments);

} // namespace Cli
