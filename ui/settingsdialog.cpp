#include "settingsdialog.h"

#include "settings.h"
#include "ui_settingsdialog.h"
#include "verify/policy.h"

#include <QFileDialog>

SettingsDialog::SettingsDialog(Settings *settings, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::SettingsDialog>())
    , m_settings(settings)
{
    m_ui->setupUi(this);
    m_ui->theme->addItem(tr("Follow the system"), int(Settings::Theme::System));
    m_ui->theme->addItem(tr("Light"), int(Settings::Theme::Light));
    m_ui->theme->addItem(tr("Dark"), int(Settings::Theme::Dark));
    m_ui->theme->setCurrentIndex(m_ui->theme->findData(int(settings->theme())));
    m_ui->storePath->setText(settings->effectiveStorePath());
    m_ui->listenAtStartup->setChecked(settings->listenAtStartup());
    m_ui->responseStatus->setValue(settings->defaultResponseStatus());
    m_ui->policy->addItems(Verify::Policy::builtinNames());
    m_ui->policy->setCurrentText(settings->defaultPolicy());
    const Http::ParserLimits limits = settings->limits();
    m_ui->maxBody->setValue(int(limits.maxBody / (1024 * 1024)));
    m_ui->maxHeaderBytes->setValue(int(limits.maxHeaderBytes / 1024));
    m_ui->maxHeaderFields->setValue(limits.maxHeaderFields);
    m_ui->maxCaptures->setValue(settings->retentionMaxCaptures());
    m_ui->maxAgeDays->setValue(settings->retentionMaxAgeDays());
    connect(m_ui->buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(m_ui->buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    connect(m_ui->browseStore, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Capture store"), m_ui->storePath->text(),
                                                          tr("Capture stores (*.db *.sqlite)"), nullptr,
                                                          QFileDialog::DontConfirmOverwrite);
        if (!path.isEmpty())
            m_ui->storePath->setText(path);
    });
}

SettingsDialog::~SettingsDialog() = default;

void SettingsDialog::accept()
{
    m_settings->setTheme(Settings::Theme(m_ui->theme->currentData().toInt()));
    const QString store = m_ui->storePath->text().trimmed();
    m_settings->setStorePath(store == m_settings->effectiveStorePath() && m_settings->storePath().isEmpty() ? QString() : store);
    m_settings->setListenAtStartup(m_ui->listenAtStartup->isChecked());
    m_settings->setDefaultResponseStatus(m_ui->responseStatus->value());
    m_settings->setDefaultPolicy(m_ui->policy->currentText());
    Http::ParserLimits limits = m_settings->limits();
    limits.maxBody = qint64(m_ui->maxBody->value()) * 1024 * 1024;
    limits.maxHeaderBytes = qsizetype(m_ui->maxHeaderBytes->value()) * 1024;
    limits.maxHeaderFields = m_ui->maxHeaderFields->value();
    m_settings->setLimits(limits);
    m_settings->setRetentionMaxCaptures(m_ui->maxCaptures->value());
    m_settings->setRetentionMaxAgeDays(m_ui->maxAgeDays->value());
    QDialog::accept();
}
