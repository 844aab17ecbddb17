#include "overviewpane.h"

#include "displaytext.h"
#include "verdictlook.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace {

QString row(const QString &name, const QString &value)
{
    return QStringLiteral("<tr><td style=\"padding-right:16px;\"><b>%1</b></td><td>%2</td></tr>")
        .arg(name.toHtmlEscaped(), value);
}

QString escaped(QByteArrayView bytes)
{
    return DisplayText::escapedLine(bytes).toHtmlEscaped();
}

QString timeText(const QDateTime &time)
{
    if (!time.isValid())
        return OverviewPane::tr("unknown");
    return time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

} // namespace

OverviewPane::OverviewPane(QWidget *parent)
    : QWidget(parent)
    , m_browser(new QTextBrowser(this))
{
    m_browser->setOpenLinks(false);
    m_browser->setAccessibleName(tr("Capture overview"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_browser);
}

void OverviewPane::clear()
{
    m_browser->setHtml(tr("<p>Select a capture to see its details.</p>"));
}

QString OverviewPane::plainText() const
{
    return m_browser->toPlainText();
}

void OverviewPane::setCapture(const Capture::StoredCapture &capture)
{
    const Http::CapturedRequest &request = capture.request;
    const Capture::Annotation &annotation = capture.annotation;
    const QJsonObject verification = QJsonDocument::fromJson(annotation.verificationJson).object();
    const Capture::Verdict verdict = request.isRejected() ? Capture::Verdict::Rejected : annotation.verdict;

    QString html;
    // Badges: overall verdict, then digest and signature checks (words + symbol + colour).
    html += QStringLiteral("<p style=\"font-size:large;\">") + VerdictLook::forVerdict(verdict).badgeHtml() + QStringLiteral("&nbsp; ");
    if (!request.isRejected()) {
        QString digest = annotation.digestStatus;
        if (digest.isEmpty())
            digest = verification.value(QStringLiteral("digest")).toObject().value(QStringLiteral("status")).toString();
        QString signature = annotation.signatureStatus;
        if (signature.isEmpty())
            signature = verification.value(QStringLiteral("signature")).toObject().value(QStringLiteral("status")).toString();
        html += VerdictLook::forStatus(digest).badgeHtml(tr("Digest")) + QStringLiteral("&nbsp; ")
                + VerdictLook::forStatus(signature).badgeHtml(tr("Signature"));
    }
    html += QStringLiteral("</p>");
    if (!annotation.eventSummary.isEmpty())
        html += QStringLiteral("<p><b>%1</b> %2</p>").arg(annotation.eventType.toHtmlEscaped(), annotation.eventSummary.toHtmlEscaped());

    if (request.isRejected()) {
        const Http::Rejection &rejection = request.rejection;
        html += QStringLiteral("<h3>%1</h3><p>%2</p><p>%3</p>")
                    .arg(tr("Rejected with %1").arg(rejection.status),
                         rejection.reason.toHtmlEscaped(),
                         tr("Problem code <code>%1</code>; parsing stopped at byte %2 of %3.")
                             .arg(rejection.code.toHtmlEscaped())
                             .arg(rejection.offset)
                             .arg(request.raw.size()));
    }

    // Problems as plain sentences, from the verdict JSON (contract: problems[].message).
    QStringList problems;
    for (const QJsonValue &problem : verification.value(QStringLiteral("problems")).toArray())
        problems.append(problem.toObject().value(QStringLiteral("message")).toString());
    if (problems.isEmpty() && !annotation.problemCodes.isEmpty()) {
        for (const QString &code : annotation.problemCodes)
            problems.append(tr("Problem %1.").arg(code));
    }
    if (!problems.isEmpty()) {
        html += QStringLiteral("<h3>%1</h3><ul>").arg(tr("Problems"));
        for (const QString &problem : std::as_const(problems))
            html += QStringLiteral("<li>⚠ %1</li>").arg(problem.toHtmlEscaped());
        html += QStringLiteral("</ul>");
    }
    for (const QJsonValue &diagnosis : verification.value(QStringLiteral("diagnoses")).toArray()) {
        html += QStringLiteral("<p>💡 %1</p>").arg(diagnosis.toObject().value(QStringLiteral("message")).toString().toHtmlEscaped());
    }

    html += QStringLiteral("<h3>%1</h3><table>").arg(tr("Request"));
    html += row(tr("Method"), escaped(request.method));
    html += row(tr("Target"), escaped(request.target));
    if (!request.version.isEmpty())
        html += row(tr("Version"), escaped(request.version));
    html += row(tr("Endpoint"), request.endpoint.isEmpty() ? tr("(none)") : request.endpoint.toHtmlEscaped());
    html += row(tr("Remote"), QStringLiteral("%1:%2").arg(request.remoteAddress.toHtmlEscaped()).arg(request.remotePort));
    if (!request.localAddress.isEmpty())
        html += row(tr("Local"), QStringLiteral("%1:%2").arg(request.localAddress.toHtmlEscaped()).arg(request.localPort));
    html += row(tr("TLS"), request.isTls() ? QStringLiteral("%1, %2").arg(request.tlsProtocol, request.tlsCipher).toHtmlEscaped()
                                            : tr("no (plain HTTP)"));
    html += row(tr("First byte"), timeText(request.firstByteAt));
    html += row(tr("Last byte"), timeText(request.lastByteAt));
    if (request.firstByteAt.isValid() && request.lastByteAt.isValid())
        html += row(tr("Duration"), tr("%1 ms").arg(request.firstByteAt.msecsTo(request.lastByteAt)));
    html += row(tr("Size"), tr("%1 in total; body %2%3")
                                 .arg(DisplayText::byteSize(request.raw.size()), DisplayText::byteSize(request.bodyView().size()),
                                      request.chunked ? tr(" (chunked)") : QString())
                                 .toHtmlEscaped());
    html += row(tr("Headers"), QString::number(request.headers.size()));
    html += row(tr("Response"), request.responseStatus ? QString::number(request.responseStatus) : tr("none sent"));
    if (request.imported)
        html += row(tr("Origin"), tr("imported"));
    if (capture.pinned)
        html += row(tr("Pinned"), tr("yes"));
    if (!capture.comment.isEmpty())
        html += row(tr("Comment"), capture.comment.toHtmlEscaped());
    const QString policy = verification.value(QStringLiteral("policy")).toString();
    if (!policy.isEmpty())
        html += row(tr("Policy"), policy.toHtmlEscaped());
    html += QStringLiteral("</table>");
    m_browser->setHtml(html);
}
