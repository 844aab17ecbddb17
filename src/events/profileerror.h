#pragma once

#include <QString>

namespace Events {

/// Why a provider profile file could not be used: the file, a stable code, where in the file
/// (a JSON path such as "events[2].detect[0].kind", and line/column for syntax errors) and one
/// sentence.
struct ProfileError
{
    // Stable codes: "unreadable-file", "json-syntax", "not-an-object", "unsupported-format",
    // "missing-member", "wrong-type", "bad-value", "unknown-rule-kind", "unknown-field-type",
    // "bad-template", "unknown-event", "duplicate-event", "unknown-member".
    QString code;
    QString file;
    QString path;    // JSON path of the offending member; empty for file-level problems
    QString message; // one sentence, without the file name
    int line = 0;    // 1-based, 0 when unknown
    int column = 0;  // 1-based, 0 when unknown
    qsizetype offset = -1;

    /// "FILE:LINE:COLUMN: message" or "FILE: PATH: message".
    QString toString() const;
};

} // namespace Events
