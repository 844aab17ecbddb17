#pragma once

#include "verify/key.h"

#include <QDialog>

#include <memory>

namespace Ui {
class KeysManagerDialog;
}

/// Manages the verification keys: JWKS files and URLs, pasted JWK/PEM, HMAC secrets, their
/// snapshots, and which captures each key verified.
class KeysManagerDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit KeysManagerDialog(QWidget *parent = nullptr);
    ~KeysManagerDialog() override;

    Verify::KeySet keySet() const;
    void setStorePath(const QString &path);

Q_SIGNALS:
    void keySetChanged();
    void reverifyRequested(bool useSnapshots);

private:
    std::unique_ptr<Ui::KeysManagerDialog> m_ui;
    Verify::KeySet m_keys;
    QString m_storePath;
};
