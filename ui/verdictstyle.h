#pragma once

#include "capture/capturesummary.h"

#include <QColor>
#include <QIcon>
#include <QString>

/// How the capture list shows a verdict: a word, an icon whose shape differs per verdict (so it
/// reads without colour: check, cross, dash, question mark, no-entry, dots) and a colour.
class VerdictStyle final
{
public:
    static QString text(Capture::Verdict verdict);
    static QColor colour(Capture::Verdict verdict, bool darkBackground);
    /// The bundled SVG when the SVG icon plugin is present, else the same shape painted.
    static QIcon icon(Capture::Verdict verdict);
    /// Colour for a digest or signature status word ("mismatch", "valid", ...); invalid: none.
    static QColor statusColour(const QString &status, bool darkBackground);

private:
    static QIcon paintedIcon(Capture::Verdict verdict);
};
