#include "eventpane.h"

#include "jsontreemodel.h"
#include "verdictlook.h"

#include "events/profilecatalog.h"

#include <QComboBox>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QTreeView>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace {

QString valueText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Undefined:
        return {};
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    default: {
        const QJsonArray wrapper{value};
        QByteArray text = QJsonDocument(wrapper).toJson(QJsonDocument::Compact);
        return QString::fromUtf8(text.mid(1, text.size() - 2));
    }
    }
}

QString readableProblemIcon(Events::EventProblem::Severity severity)
{
    switch (severity) {
    case Events::EventProblem::Severity::Error:
        return QStringLiteral("✖");
    case Events::EventProblem::Severity::Warning:
        return QStringLiteral("⚠");
    case Events::EventProblem::Severity::Info:
        break;
    }
    return QStringLiteral("ℹ");
}

} // namespace

EventPane::EventPane(QWidget *parent)
    : QWidget(parent)
    , m_decoder(Events::ProfileCatalog::standard().decoder())
    , m_summary(new QLabel(this))
    , m_match(new QLabel(this))
    , m_problems(new QLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_fields(new QTreeWidget(this))
    , m_tableChooser(new QComboBox(this))
    , m_table(new QTableWidget(this))
    , m_identifiers(new QTreeWidget(this))
    , m_tree(new QTreeView(this))
    , m_treeModel(new JsonTreeModel(this))
{
    QFont big = m_summary->font();
    big.setPointSizeF(big.pointSizeF() * 1.25);
    big.setBold(true);
    m_summary->setFont(big);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setAccessibleName(tr("Event summary"));
    m_match->setWordWrap(true);
    m_match->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problems->setWordWrap(true);
    m_problems->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_fields->setColumnCount(6);
    m_fields->setHeaderLabels({tr("Field"), tr("Check"), tr("Expected"), tr("Actual"), tr("Value"), tr("Description")});
    m_fields->setRootIsDecorated(false);
    m_fields->setAlternatingRowColors(true);
    m_fields->setAccessibleName(tr("Event fields"));
    m_fields->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_fields->header()->setSectionResizeMode(4, QHeaderView::Interactive); // values can be long
    m_fields->header()->setStretchLastSection(true);
    m_fields->header()->resizeSection(4, 260);
    m_fields->setTextElideMode(Qt::ElideRight);

    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setAccessibleName(tr("Array as table"));
    m_tableChooser->setAccessibleName(tr("Array"));
    connect(m_tableChooser, &QComboBox::currentIndexChanged, this, &EventPane::showTable);
    auto *tables = new QWidget(this);
    auto *tablesLayout = new QVBoxLayout(tables);
    tablesLayout->setContentsMargins(0, 0, 0, 0);
    tablesLayout->addWidget(m_tableChooser);
    tablesLayout->addWidget(m_table, 1);

    m_identifiers->setColumnCount(2);
    m_identifiers->setHeaderLabels({tr("Identifier"), tr("Value")});
    m_identifiers->setRootIsDecorated(false);
    m_identifiers->setAccessibleName(tr("Identifiers"));
    m_tree->setModel(m_treeModel);
    m_tree->setUniformRowHeights(true);
    m_tree->setAccessibleName(tr("Payload tree"));
    m_tree->header()->resizeSection(JsonTreeModel::KeyColumn, 220);
    m_tree->header()->resizeSection(JsonTreeModel::ValueColumn, 300);

    // The generic view: the payload tree next to the identifiers found in it (for undocumented
    // events this is all there is to read); picking an identifier shows it in the tree.
    auto *payload = new QSplitter(Qt::Horizontal, this);
    payload->addWidget(m_tree);
    payload->addWidget(m_identifiers);
    payload->setStretchFactor(0, 3);
    payload->setStretchFactor(1, 2);
    connect(m_identifiers, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (!item)
            return;
        const QModelIndex index = m_treeModel->indexForPath(item->text(0));
        if (index.isValid()) {
            m_tree->setCurrentIndex(index);
            m_tree->scrollTo(index);
        }
    });

    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_fields, tr("&Fields"));
    m_tabs->addTab(tables, tr("T&ables"));
    m_tabs->addTab(payload, tr("&Payload and identifiers"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->addWidget(m_summary);
    layout->addWidget(m_match);
    layout->addWidget(m_problems);
    layout->addWidget(m_tabs, 1);
    clear();
}

void EventPane::setDecoder(const Events::Decoder &decoder)
{
    m_decoder = decoder;
}

void EventPane::setRequest(const Http::CapturedRequest &request)
{
    showDecoded(m_decoder.decode(request));
}

void EventPane::clear()
{
    m_event = {};
    m_summary->setText(tr("No capture selected."));
    m_match->clear();
    m_problems->clear();
    m_problems->hide();
    m_fields->clear();
    m_tableChooser->clear();
    m_table->clear();
    m_table->setRowCount(0);
    m_table->setColumnCount(0);
    m_identifiers->clear();
    m_treeModel->clear();
}

QString EventPane::summaryText() const
{
    return m_summary->text();
}

QString EventPane::matchText() const
{
    return m_match->text();
}

QString EventPane::problemsText() const
{
    return m_problems->text();
}

void EventPane::showAnomalies(const QByteArray &eventJson)
{
    const QJsonArray anomalies = QJsonDocument::fromJson(eventJson).object().value(QStringLiteral("anomalies")).toArray();
    if (anomalies.isEmpty())
        return;
    QStringList lines;
    if (!m_problems->text().isEmpty())
        lines.append(m_problems->text());
    for (const QJsonValue &anomaly : anomalies) {
        lines.append(tr("⚠ Timeline: %1 (%2)")
                         .arg(anomaly.toObject().value(QStringLiteral("message")).toString(),
                              anomaly.toObject().value(QStringLiteral("code")).toString()));
    }
    m_problems->setText(lines.join(QLatin1Char('\n')));
    m_problems->setVisible(true);
}

void EventPane::showDecoded(const Events::DecodedEvent &event)
{
    clear();
    m_event = event;
    const QString type = event.isRecognized() ? event.eventType : tr("Unrecognised event");
    m_summary->setText(type + QStringLiteral(" — ") + event.summary);

    QStringList facts;
    if (!event.providerName.isEmpty())
        facts.append(tr("Provider: %1").arg(event.providerName));
    if (event.isRecognized()) {
        facts.append(tr("Matched by %1 (%2), confidence %3")
                         .arg(Events::matchKindName(event.matchedBy), event.matchDetail, Events::confidenceName(event.confidence)));
        facts.append(event.documented ? tr("Documented payload") : tr("Undocumented payload: fields shown as found"));
    }
    if (!event.matchAssumption.isEmpty())
        facts.append(tr("Assumption: %1").arg(event.matchAssumption));
    if (!event.entityId.isEmpty())
        facts.append(tr("%1 id %2 (from %3)").arg(event.entity.isEmpty() ? tr("Entity") : event.entity, event.entityId, event.entityIdField));
    if (!event.eventId.isEmpty())
        facts.append(tr("Event id %1").arg(event.eventId));
    if (event.eventTime.isValid())
        facts.append(tr("Event time %1 UTC (from %2)").arg(event.eventTime.toUTC().toString(Qt::ISODate), event.eventTimeField));
    m_match->setText(facts.join(QStringLiteral("\n")));

    QStringList problems;
    if (event.body == Events::DecodedEvent::Body::NotJson) {
        problems.append(tr("✖ The body is not JSON (%1 at byte %2), so no event could be decoded; see the Body tab.")
                            .arg(event.jsonError)
                            .arg(event.jsonErrorOffset));
    }
    for (const Events::EventProblem &problem : event.problems) {
        if (event.body == Events::DecodedEvent::Body::NotJson && problem.code == u"not-json")
            continue;
        problems.append(readableProblemIcon(problem.severity) + u' ' + problem.message);
    }
    m_problems->setText(problems.join(QLatin1Char('\n')));
    m_problems->setVisible(!problems.isEmpty());

    for (const Events::FieldCheck &field : event.fields) {
        const VerdictLook look = VerdictLook::forStatus(Events::fieldStatusName(field.status));
        auto *item = new QTreeWidgetItem(m_fields, {field.name, look.symbol + u' ' + look.text, field.expectedType,
                                                    field.actualType, valueText(field.value),
                                                    field.note.isEmpty() ? field.description : field.note});
        item->setForeground(1, look.colour);
        item->setToolTip(4, valueText(field.value));
    }

    for (const Events::JsonTable &table : event.tables) {
        const QString path = table.path.isEmpty() ? tr("(body)") : table.path;
        m_tableChooser->addItem(table.rows.size() == 1 ? tr("%1 (1 row)").arg(path) : tr("%1 (%2 rows)").arg(path).arg(table.rows.size()));
    }
    m_tableChooser->setEnabled(!event.tables.isEmpty());
    if (!event.tables.isEmpty())
        showTable(0);

    for (const Events::Identifier &identifier : event.identifiers)
        new QTreeWidgetItem(m_identifiers, {identifier.path, identifier.value});

    if (!event.payload.isUndefined()) {
        m_treeModel->setJson(event.payload, event.keyOrder);
        m_tree->expandToDepth(1);
    }
    m_tabs->setTabText(1, event.tables.isEmpty() ? tr("T&ables") : tr("T&ables (%1)").arg(event.tables.size()));
    m_tabs->setTabText(2, tr("&Payload and identifiers (%1)").arg(event.identifiers.size()));
    // An undocumented event has no field checks worth reading first: open its tree and ids.
    if (event.isRecognized() && !event.documented)
        m_tabs->setCurrentIndex(2);
    else
        m_tabs->setCurrentIndex(0);
}

void EventPane::showTable(int index)
{
    m_table->clear();
    if (index < 0 || index >= m_event.tables.size()) {
        m_table->setRowCount(0);
        m_table->setColumnCount(0);
        return;
    }
    const Events::JsonTable &table = m_event.tables.at(index);
    m_table->setColumnCount(int(table.columns.size()));
    m_table->setHorizontalHeaderLabels(table.columns);
    m_table->setRowCount(int(table.rows.size()));
    for (int row = 0; row < table.rows.size(); ++row) {
        const QList<QJsonValue> &cells = table.rows.at(row);
        for (int column = 0; column < cells.size(); ++column) {
            const QJsonValue &cell = cells.at(column);
            auto *item = new QTableWidgetItem(cell.isUndefined() ? tr("—") : valueText(cell));
            if (cell.isUndefined())
                item->setToolTip(tr("This element has no \"%1\"").arg(table.columns.value(column)));
            m_table->setItem(row, column, item);
        }
    }
    m_table->resizeColumnsToContents();
}
