#include "bodypane.h"

#include "displaytext.h"
#include "hexview.h"
#include "jsonhighlighter.h"
#include "jsonpretty.h"
#include "jsontreemodel.h"

#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTreeView>
#include <QVBoxLayout>

namespace {

QPlainTextEdit *makeTextView(QWidget *parent, const QString &name)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setReadOnly(true);
    edit->setFont(DisplayText::monospaceFont());
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    edit->setAccessibleName(name);
    edit->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return edit;
}

} // namespace

BodyPane::BodyPane(QWidget *parent)
    : QWidget(parent)
    , m_tabs(new QTabWidget(this))
    , m_status(new QLabel(this))
    , m_pretty(makeTextView(this, tr("Pretty JSON")))
    , m_tree(new QTreeView(this))
    , m_treeModel(new JsonTreeModel(this))
    , m_text(makeTextView(this, tr("Body text")))
    , m_hex(new HexView(this))
{
    new JsonHighlighter(m_pretty->document());
    m_tree->setModel(m_treeModel);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setAccessibleName(tr("JSON tree"));
    m_tree->header()->setSectionResizeMode(JsonTreeModel::KeyColumn, QHeaderView::Interactive);
    m_tree->header()->resizeSection(JsonTreeModel::KeyColumn, 220);
    m_tree->header()->resizeSection(JsonTreeModel::ValueColumn, 320);

    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_pretty, tr("&Pretty"));
    m_tabs->addTab(m_tree, tr("T&ree"));
    m_tabs->addTab(m_text, tr("&Text"));
    m_tabs->addTab(m_hex, tr("He&x"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_status);
    layout->addWidget(m_tabs, 1);
    clear();
}

BodyPane::View BodyPane::currentView() const
{
    return View(m_tabs->currentIndex());
}

void BodyPane::setCurrentView(View view)
{
    m_tabs->setCurrentIndex(int(view));
}

void BodyPane::clear()
{
    m_isJson = false;
    m_pretty->clear();
    m_text->clear();
    m_treeModel->clear();
    m_hex->setData({});
    m_status->setText(tr("No body."));
    for (int i = 0; i < 3; ++i)
        m_tabs->setTabEnabled(i, true);
}

void BodyPane::setBody(const QByteArray &body, const QByteArray &contentType)
{
    clear();
    m_hex->setData(body);
    if (body.isEmpty()) {
        m_status->setText(tr("The request has no body."));
        setCurrentView(View::Text);
        return;
    }
    QStringList notes{DisplayText::byteSize(body.size())};
    if (!contentType.isEmpty())
        notes.append(DisplayText::escapedLine(contentType));

    if (body.size() <= PrettyLimit) {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(body, &error);
        m_isJson = error.error == QJsonParseError::NoError;
        if (m_isJson) {
            m_pretty->setPlainText(QString::fromUtf8(JsonPretty::indent(body)));
            m_treeModel->setJsonBytes(body);
            m_tree->expandToDepth(1);
            notes.append(tr("valid JSON"));
        } else if (contentType.toLower().contains("json")) {
            notes.append(tr("declared as JSON but not valid JSON: %1 at byte %2").arg(error.errorString()).arg(error.offset));
        }
    } else {
        notes.append(tr("too large for the JSON views; showing hex"));
    }
    m_tabs->setTabEnabled(int(View::Pretty), m_isJson);
    m_tabs->setTabEnabled(int(View::Tree), m_isJson);

    if (body.size() <= TextLimit) {
        m_text->setPlainText(DisplayText::safeText(body));
    } else {
        m_text->setPlainText(tr("The body is %1; the first %2 are shown here, the whole body in the Hex tab.\n\n")
                                 .arg(DisplayText::byteSize(body.size()), DisplayText::byteSize(TextLimit))
                             + DisplayText::safeText(QByteArrayView(body).first(TextLimit)));
    }
    if (body.size() > TextLimit)
        setCurrentView(View::Hex);
    else
        setCurrentView(m_isJson ? View::Pretty : View::Text);
    m_status->setText(notes.join(QStringLiteral(" · ")));
}
