#include "endpointsdialog.h"

#include "ui_endpointsdialog.h"

#include <QHeaderView>
#include <QMessageBox>
#include <QSet>

EndpointsDialog::EndpointsDialog(const QList<EndpointConfig> &endpoints, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::EndpointsDialog>())
{
    m_ui->setupUi(this);
    m_ui->table->setColumnCount(ColumnCount);
    m_ui->table->setHorizontalHeaderLabels({tr("On"), tr("Name"), tr("Bind address"), tr("Port"), tr("HTTPS"),
                                            tr("Response"), tr("Policy"), tr("Key sources"), tr("Secrets")});
    m_ui->table->horizontalHeader()->setSectionResizeMode(KeySources, QHeaderView::Stretch);
    m_ui->table->verticalHeader()->hide();
    for (const EndpointConfig &config : endpoints)
        addRow(config);
    m_ui->table->resizeColumnsToContents();
    connect(m_ui->add, &QPushButton::clicked, this, [this] {
        EndpointConfig config;
        config.name = tr("endpoint%1").arg(m_ui->table->rowCount() + 1);
        config.port = quint16(8080 + m_ui->table->rowCount());
        addRow(config);
        updateButtons();
    });
    connect(m_ui->remove, &QPushButton::clicked, this, [this] {
        if (m_ui->table->currentRow() >= 0)
            m_ui->table->removeRow(m_ui->table->currentRow());
        updateButtons();
    });
    connect(m_ui->buttons, &QDialogButtonBox::accepted, this, &EndpointsDialog::accept);
    connect(m_ui->buttons, &QDialogButtonBox::rejected, this, &EndpointsDialog::reject);
    updateButtons();
}

EndpointsDialog::~EndpointsDialog() = default;

void EndpointsDialog::addRow(const EndpointConfig &config)
{
    const int row = m_ui->table->rowCount();
    m_ui->table->insertRow(row);
    const auto text = [&](int column, const QString &value) { m_ui->table->setItem(row, column, new QTableWidgetItem(value)); };
    const auto check = [&](int column, bool on) {
        auto *item = new QTableWidgetItem;
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
        item->setCheckState(on ? Qt::Checked : Qt::Unchecked);
        m_ui->table->setItem(row, column, item);
    };
    check(Enabled, config.enabled);
    text(Name, config.name);
    text(Bind, config.bindAddress);
    text(Port, QString::number(config.port));
    check(Https, config.https);
    text(Status, QString::number(config.responseStatus));
    text(Policy, config.policy);
    text(KeySources, config.keySources.join(u';'));
    text(Secrets, config.secrets.join(u';'));
}

void EndpointsDialog::updateButtons()
{
    m_ui->add->setEnabled(m_ui->table->rowCount() < MaxEndpoints);
    m_ui->remove->setEnabled(m_ui->table->rowCount() > 1);
}

QList<EndpointConfig> EndpointsDialog::endpoints() const
{
    QList<EndpointConfig> result;
    for (int row = 0; row < m_ui->table->rowCount(); ++row) {
        const auto cell = [&](int column) {
            const QTableWidgetItem *item = m_ui->table->item(row, column);
            return item ? item->text().trimmed() : QString();
        };
        EndpointConfig config;
        config.enabled = m_ui->table->item(row, Enabled)->checkState() == Qt::Checked;
        config.name = cell(Name);
        config.bindAddress = cell(Bind);
        config.port = quint16(cell(Port).toUInt());
        config.https = m_ui->table->item(row, Https)->checkState() == Qt::Checked;
        config.responseStatus = cell(Status).toInt();
        config.policy = cell(Policy);
        config.keySources = cell(KeySources).split(u';', Qt::SkipEmptyParts);
        config.secrets = cell(Secrets).split(u';', Qt::SkipEmptyParts);
        result.append(config);
    }
    return result;
}

void EndpointsDialog::accept()
{
    QSet<QString> names;
    for (const EndpointConfig &config : endpoints()) {
        QString problem;
        if (config.name.isEmpty() || names.contains(config.name))
            problem = tr("Every endpoint needs its own name.");
        else if (QHostAddress(config.bindAddress).isNull())
            problem = tr("%1: '%2' is not an IP address.").arg(config.name, config.bindAddress);
        else if (config.responseStatus < 100 || config.responseStatus > 599)
            problem = tr("%1: the response status must be between 100 and 599.").arg(config.name);
        if (!problem.isEmpty()) {
            QMessageBox::warning(this, tr("Endpoints"), problem);
            return;
        }
        names.insert(config.name);
    }
    QDialog::accept();
}
