#pragma once

#include "capture/capturesummary.h"

#include <QColor>
#include <QString>

/// How a verdict or check status is shown in the detail panes: words first, a symbol that
/// reads without colour, and a colour as a third cue.
struct VerdictLook
{
    QString text;   // "Verified"
    QString symbol; // "✔", "✖", "⚠", "○", "?"
    QColor colour;

    static VerdictLook forVerdict(Capture::Verdict verdict);
    // A contract status word: "verified", "valid", "invalid", "mismatch", "absent",
    // "key-unknown", "passed", "failed", "skipped", "warning", ...
    static VerdictLook forStatus(const QString &status);

    // An HTML badge (symbol + text on a tinted background) for rich-text views.
    QString badgeHtml(const QString &label = {}) const;
};
