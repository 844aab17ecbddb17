#include "signaturepane.h"

#include "signingstringview.h"
#include "stringdiffbox.h"
#include "verdictlook.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QSplitter>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace {

// The verifier's step names (verify/verdict.h) as sentences a new user understands.
QString stepTitle(const QString &name)
{
    if (name == u"parse")
        return SignaturePane::tr("Parse the signature header");
    if (name == u"key")
        return SignaturePane::tr("Find the key");
    if (name == u"signature-base")
        return SignaturePane::tr("Build the signature base");
    if (name == u"signing-string")
        return SignaturePane::tr("Build the signing string");
    if (name == u"verify")
        return SignaturePane::tr("Check the signature");
    if (name == u"clock")
        return SignaturePane::tr("Check the clock");
    if (name == u"body")
        return SignaturePane::tr("Body coverage");
    return name;
}

QString row(const QString &name, const QString &value)
{
    return QStringLiteral("<tr><td style=\"padding-right:12px;\"><b>%1</b></td><td>%2</td></tr>")
        .arg(name.toHtmlEscaped(), value.toHtmlEscaped());
}

QString timestamp(const QJsonValue &seconds)
{
    const QDateTime time = QDateTime::fromSecsSinceEpoch(seconds.toInteger(), Qt::UTC);
    return QStringLiteral("%1 (%2 UTC)").arg(seconds.toInteger()).arg(time.toString(Qt::ISODate));
}

} // namespace

SignaturePane::SignaturePane(QWidget *parent)
    : QWidget(parent)
    , m_headline(new QLabel(this))
    , m_chooser(new QComboBox(this))
    , m_steps(new QTreeWidget(this))
    , m_details(new QTextBrowser(this))
    , m_signingString(new SigningStringView(this))
    , m_diff(new StringDiffBox(this))
{
    m_headline->setWordWrap(true);
    m_headline->setTextFormat(Qt::RichText);
    m_chooser->setAccessibleName(tr("Signature"));
    connect(m_chooser, &QComboBox::currentIndexChanged, this, &SignaturePane::showSignature);
    m_steps->setColumnCount(3);
    m_steps->setHeaderLabels({tr("Step"), tr("Result"), tr("Explanation")});
    m_steps->setRootIsDecorated(false);
    m_steps->setWordWrap(true);
    m_steps->setAccessibleName(tr("Verification steps"));
    m_steps->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_steps->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_details->setAccessibleName(tr("Signature details"));

    auto *chooserLabel = new QLabel(tr("S&ignature:"), this);
    m_chooserLabel = chooserLabel;
    chooserLabel->setBuddy(m_chooser);
    auto *top = new QHBoxLayout;
    top->addWidget(m_headline, 1);
    top->addWidget(chooserLabel);
    top->addWidget(m_chooser);

    auto *upper = new QSplitter(Qt::Horizontal, this);
    upper->addWidget(m_steps);
    upper->addWidget(m_details);
    upper->setStretchFactor(0, 3);
    upper->setStretchFactor(1, 2);
    auto *vertical = new QSplitter(Qt::Vertical, this);
    vertical->addWidget(upper);
    vertical->addWidget(m_signingString);
    vertical->addWidget(m_diff);
    vertical->setStretchFactor(0, 2);
    vertical->setStretchFactor(1, 2);
    vertical->setStretchFactor(2, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(vertical, 1);
    clear();
}

void SignaturePane::clear()
{
    m_capture = {};
    m_verification = {};
    m_signatures = {};
    m_headline->setText(tr("No capture selected."));
    m_chooser->clear();
    m_chooser->setVisible(false);
    m_chooserLabel->setVisible(false);
    m_steps->clear();
    m_details->clear();
    m_signingString->clear();
    m_diff->setReceived({});
}

QString SignaturePane::detailsText() const
{
    return m_details->toPlainText();
}

void SignaturePane::setCapture(const Capture::StoredCapture &capture)
{
    clear();
    m_capture = capture;
    m_verification = QJsonDocument::fromJson(capture.annotation.verificationJson).object();
    if (capture.request.isRejected()) {
        m_headline->setText(tr("The request was rejected before verification: %1").arg(capture.request.rejection.reason.toHtmlEscaped()));
        return;
    }
    if (m_verification.isEmpty()) {
        m_headline->setText(tr("This capture has not been verified yet. Load keys and press F5 to verify it."));
        return;
    }
    const QString verdict = m_verification.value(QStringLiteral("verdict")).toString();
    const QString status = m_verification.value(QStringLiteral("signature")).toObject().value(QStringLiteral("status")).toString();
    m_headline->setText(VerdictLook::forStatus(verdict == u"failed" ? QStringLiteral("failed") : verdict).badgeHtml(tr("Verdict"))
                        + QStringLiteral(" &nbsp; ") + VerdictLook::forStatus(status).badgeHtml(tr("Signature"))
                        + QStringLiteral(" &nbsp; ") + tr("policy %1").arg(m_verification.value(QStringLiteral("policy")).toString().toHtmlEscaped()));

    for (const QJsonValue &value : m_verification.value(QStringLiteral("steps")).toArray()) {
        const QJsonObject step = value.toObject();
        const VerdictLook look = VerdictLook::forStatus(step.value(QStringLiteral("status")).toString());
        auto *item = new QTreeWidgetItem(m_steps, {stepTitle(step.value(QStringLiteral("name")).toString()),
                                                   look.symbol + u' ' + look.text,
                                                   step.value(QStringLiteral("message")).toString()});
        item->setForeground(1, look.colour);
        item->setToolTip(2, step.value(QStringLiteral("message")).toString());
    }

    m_signatures = m_verification.value(QStringLiteral("signatures")).toArray();
    if (m_signatures.isEmpty() && m_verification.value(QStringLiteral("signature")).toObject().value(QStringLiteral("status")).toString() != u"absent")
        m_signatures.append(m_verification.value(QStringLiteral("signature")));
    const QSignalBlocker blocker(m_chooser);
    for (const QJsonValue &value : std::as_const(m_signatures)) {
        const QJsonObject signature = value.toObject();
        QString label = signature.value(QStringLiteral("label")).toString();
        if (label.isEmpty())
            label = signature.value(QStringLiteral("header")).toString();
        m_chooser->addItem(tr("%1 (%2, keyId \"%3\"): %4")
                               .arg(label, signature.value(QStringLiteral("scheme")).toString(),
                                    signature.value(QStringLiteral("keyId")).toString(),
                                    VerdictLook::forStatus(signature.value(QStringLiteral("status")).toString()).text));
    }
    m_chooser->setVisible(m_signatures.size() > 1);
    m_chooserLabel->setVisible(m_signatures.size() > 1);
    if (m_signatures.isEmpty()) {
        m_details->setHtml(tr("<p>The request carries no signature.</p>"));
        return;
    }
    showSignature(0);
}

void SignaturePane::showSignature(int index)
{
    if (index < 0 || index >= m_signatures.size())
        return;
    if (m_chooser->currentIndex() != index) {
        const QSignalBlocker blocker(m_chooser);
        m_chooser->setCurrentIndex(index);
    }
    const QJsonObject signature = m_signatures.at(index).toObject();
    QString html = QStringLiteral("<table>");
    html += row(tr("Status"), VerdictLook::forStatus(signature.value(QStringLiteral("status")).toString()).text);
    html += row(tr("Scheme"), signature.value(QStringLiteral("scheme")).toString());
    html += row(tr("Header"), signature.value(QStringLiteral("header")).toString());
    if (signature.contains(QStringLiteral("label")))
        html += row(tr("Label"), signature.value(QStringLiteral("label")).toString());
    html += row(tr("keyId"), signature.value(QStringLiteral("keyId")).toString());
    html += row(tr("Algorithm"), signature.value(QStringLiteral("algorithm")).toString());
    if (signature.contains(QStringLiteral("verifiedAlgorithm")))
        html += row(tr("Checked as"), signature.value(QStringLiteral("verifiedAlgorithm")).toString());
    QStringList covered;
    for (const QJsonValue &name : signature.value(QStringLiteral("covered")).toArray())
        covered.append(name.toString());
    html += row(tr("Covers"), covered.join(u' '));
    if (signature.contains(QStringLiteral("created")))
        html += row(tr("Created"), timestamp(signature.value(QStringLiteral("created"))));
    if (signature.contains(QStringLiteral("expires")))
        html += row(tr("Expires"), timestamp(signature.value(QStringLiteral("expires"))));
    html += QStringLiteral("</table><h4>%1</h4>").arg(tr("Key used"));
    const QJsonObject key = signature.value(QStringLiteral("key")).toObject();
    if (key.isEmpty()) {
        html += tr("<p>No key: none of the loaded keys matches keyId \"%1\".</p>")
                    .arg(signature.value(QStringLiteral("keyId")).toString().toHtmlEscaped());
    } else {
        QString type = key.value(QStringLiteral("type")).toString();
        if (key.contains(QStringLiteral("curve")))
            type += u' ' + key.value(QStringLiteral("curve")).toString();
        html += QStringLiteral("<table>") + row(tr("kid"), key.value(QStringLiteral("kid")).toString())
                + row(tr("Type"), tr("%1, %2 bits").arg(type).arg(key.value(QStringLiteral("bits")).toInt()))
                + row(tr("Thumbprint"), key.value(QStringLiteral("thumbprint")).toString())
                + row(tr("Source"), key.value(QStringLiteral("source")).toString()) + QStringLiteral("</table>");
        for (const QJsonValue &note : key.value(QStringLiteral("notes")).toArray())
            html += QStringLiteral("<p>ℹ %1</p>").arg(note.toString().toHtmlEscaped());
    }
    const QJsonArray problems = signature.value(QStringLiteral("problems")).toArray();
    if (!problems.isEmpty()) {
        html += QStringLiteral("<h4>%1</h4><ul>").arg(tr("Problems"));
        for (const QJsonValue &problem : problems)
            html += QStringLiteral("<li>⚠ %1</li>").arg(problem.toObject().value(QStringLiteral("message")).toString().toHtmlEscaped());
        html += QStringLiteral("</ul>");
    }
    for (const QJsonValue &diagnosis : m_verification.value(QStringLiteral("diagnoses")).toArray()) {
        html += QStringLiteral("<p>💡 %1<br><code>%2</code></p>")
                    .arg(diagnosis.toObject().value(QStringLiteral("message")).toString().toHtmlEscaped(),
                         diagnosis.toObject().value(QStringLiteral("form")).toString().toHtmlEscaped());
    }
    m_details->setHtml(html);
    m_signingString->setSignature(signature, m_capture.request);
    m_diff->setReceived(signature.value(QStringLiteral("signingString")).toString().toUtf8());
}
