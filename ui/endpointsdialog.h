#pragma once

#include "endpointconfig.h"

#include <QDialog>

#include <memory>

namespace Ui { class EndpointsDialog; }

/// Edits the endpoints (one listener each): name, bind address, port, HTTPS, response status,
/// policy, key sources and secrets. At most five, like the provider.
class EndpointsDialog final : public QDialog
{
    Q_OBJECT
public:
    static constexpr int MaxEndpoints = 5;

    explicit EndpointsDialog(const QList<EndpointConfig> &endpoints, QWidget *parent = nullptr);
    ~EndpointsDialog() override;

    QList<EndpointConfig> endpoints() const;
    void accept() override;

private:
    enum Column { Enabled, Name, Bind, Port, Https, Status, Policy, KeySources, Secrets, ColumnCount };
    void addRow(const EndpointConfig &config);
    void updateButtons();

    std::unique_ptr<Ui::EndpointsDialog> m_ui;
};
