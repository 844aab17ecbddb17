#include "headerspane.h"

#include "displaytext.h"
#include "headersmodel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

HeadersPane::HeadersPane(QWidget *parent)
    : QWidget(parent)
    , m_model(new HeadersModel(this))
    , m_view(new QTableView(this))
{
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(QFontMetrics(DisplayText::monospaceFont()).height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(HeadersModel::ValueColumn, QHeaderView::Stretch);
    m_view->horizontalHeader()->setSectionResizeMode(HeadersModel::NameColumn, QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(HeadersModel::NumberColumn, QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(HeadersModel::SectionColumn, QHeaderView::ResizeToContents);
    m_view->setWordWrap(false);
    m_view->setAlternatingRowColors(true);
    m_view->setAccessibleName(tr("Request headers"));
    m_view->setFont(DisplayText::monospaceFont());

    auto *copyAction = new QAction(tr("Copy"), m_view);
    copyAction->setShortcut(QKeySequence::Copy);
    copyAction->setShortcutContext(Qt::WidgetShortcut);
    connect(copyAction, &QAction::triggered, this, &HeadersPane::copySelection);
    m_view->addAction(copyAction);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);

    auto *copySelected = new QPushButton(tr("Copy &selected"), this);
    auto *copyAllButton = new QPushButton(tr("Copy &all"), this);
    connect(copySelected, &QPushButton::clicked, this, &HeadersPane::copySelection);
    connect(copyAllButton, &QPushButton::clicked, this, &HeadersPane::copyAll);
    auto *hint = new QLabel(tr("In arrival order, original case; repeated headers are marked."), this);
    hint->setForegroundRole(QPalette::PlaceholderText);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(hint, 1);
    buttons->addWidget(copySelected);
    buttons->addWidget(copyAllButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);
}

void HeadersPane::setRequest(const Http::CapturedRequest &request)
{
    m_requestLine = DisplayText::escapedLine(request.method) + u' ' + DisplayText::escapedLine(request.target) + u' '
                    + DisplayText::escapedLine(request.version);
    m_model->setRequest(request);
}

void HeadersPane::clear()
{
    m_requestLine.clear();
    m_model->clear();
}

QString HeadersPane::selectedLines() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        rows.append(index.row());
    std::sort(rows.begin(), rows.end());
    QStringList lines;
    for (int row : rows)
        lines.append(m_model->fieldLine(row));
    return lines.join(QLatin1Char('\n'));
}

QString HeadersPane::allLines() const
{
    QStringList lines;
    if (!m_requestLine.isEmpty())
        lines.append(m_requestLine);
    for (int row = 0; row < m_model->rowCount(); ++row)
        lines.append(m_model->fieldLine(row));
    return lines.join(QLatin1Char('\n'));
}

void HeadersPane::copySelection()
{
    const QString text = selectedLines();
    if (!text.isEmpty())
        QApplication::clipboard()->setText(text);
}

void HeadersPane::copyAll()
{
    QApplication::clipboard()->setText(allLines());
}
