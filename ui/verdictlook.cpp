#include "verdictlook.h"

#include <QCoreApplication>

namespace {

const QColor Good(0x1b, 0x7f, 0x3b);
const QColor Bad(0xb3, 0x26, 0x1e);
const QColor Warn(0xa6, 0x6a, 0x00);
const QColor Neutral(0x5f, 0x63, 0x68);
const QColor Unknown(0x6a, 0x3d, 0x9a);

QString tr(const char *text)
{
    return QCoreApplication::translate("VerdictLook", text);
}

} // namespace

VerdictLook VerdictLook::forVerdict(Capture::Verdict verdict)
{
    switch (verdict) {
    case Capture::Verdict::Verified:
        return {tr("Verified"), QStringLiteral("✔"), Good};
    case Capture::Verdict::Invalid:
        return {tr("Invalid"), QStringLiteral("✖"), Bad};
    case Capture::Verdict::Unsigned:
        return {tr("Unsigned"), QStringLiteral("○"), Neutral};
    case Capture::Verdict::KeyUnknown:
        return {tr("Key unknown"), QStringLiteral("?"), Unknown};
    case Capture::Verdict::Rejected:
        return {tr("Rejected"), QStringLiteral("⛔"), Bad};
    case Capture::Verdict::Pending:
        break;
    }
    return {tr("Not verified yet"), QStringLiteral("…"), Neutral};
}

VerdictLook VerdictLook::forStatus(const QString &status)
{
    if (status == u"verified" || status == u"valid" || status == u"passed" || status == u"ok")
        return {status == u"passed" ? tr("Passed") : status == u"ok" ? tr("OK") : status == u"valid" ? tr("Valid") : tr("Verified"),
                QStringLiteral("✔"), Good};
    if (status == u"invalid" || status == u"mismatch" || status == u"failed" || status == u"malformed"
        || status == u"missing" || status == u"wrong-type")
        return {status == u"mismatch" ? tr("Mismatch") : status == u"failed" ? tr("Failed") : status == u"malformed" ? tr("Malformed")
                : status == u"missing" ? tr("Missing") : status == u"wrong-type" ? tr("Wrong type") : tr("Invalid"),
                QStringLiteral("✖"), Bad};
    if (status == u"warning" || status == u"unexpected" || status == u"unsupported")
        return {status == u"warning" ? tr("Warning") : status == u"unexpected" ? tr("Unexpected") : tr("Unsupported"),
                QStringLiteral("⚠"), Warn};
    if (status == u"key-unknown")
        return {tr("Key unknown"), QStringLiteral("?"), Unknown};
    if (status == u"absent" || status == u"skipped" || status == u"undocumented")
        return {status == u"absent" ? tr("Absent") : status == u"skipped" ? tr("Skipped") : tr("Undocumented"),
                QStringLiteral("○"), Neutral};
    if (status.isEmpty())
        return {tr("Not checked"), QStringLiteral("…"), Neutral};
    return {status, QStringLiteral("•"), Neutral};
}

QString VerdictLook::badgeHtml(const QString &label) const
{
    const QString caption = label.isEmpty() ? text : label + QStringLiteral(": ") + text;
    return QStringLiteral("<span style=\"background-color:%1; color:white; font-weight:bold;\">&nbsp;%2&nbsp;%3&nbsp;</span>")
        .arg(colour.name(), symbol, caption.toHtmlEscaped());
}
