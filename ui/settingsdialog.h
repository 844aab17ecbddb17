#pragma once

#include <QDialog>

#include <memory>

class Settings;
namespace Ui { class SettingsDialog; }

/// Preferences: theme, data location, default response and policy, limits and retention.
/// Changes are written to Settings when the dialog is accepted.
class SettingsDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit SettingsDialog(Settings *settings, QWidget *parent = nullptr);
    ~SettingsDialog() override;

    void accept() override;

private:
    std::unique_ptr<Ui::SettingsDialog> m_ui;
    Settings *m_settings;
};
