#pragma once

#include "verify/key.h"

#include <QDialog>
#include <QJsonArray>
#include <QPointer>

#include <memory>

namespace Ui {
class KeysManagerDialog;
}
namespace Verify {
class KeySource;
}
class KeysTableModel;

/// Manages the verification keys: JWKS files and URLs, pasted JWK/PEM, HMAC secrets, their
/// snapshot history (a JSON file in the data folder), and which captures each key verified.
class KeysManagerDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit KeysManagerDialog(QWidget *parent = nullptr);
    ~KeysManagerDialog() override;

    Verify::KeySet keySet() const;
    void setStorePath(const QString &path);
    // Where sources and snapshot history persist; default: Capture::dataDirectory()/keys.json.
    // Setting it reloads the saved sources from that file.
    void setHistoryPath(const QString &path);

    // The actions behind the buttons, callable directly (tests, scripting). Each returns false
    // and shows a readable message in the dialog when it fails.
    bool loadFile(const QString &path);
    void loadUrl(const QString &url, bool allowHttp);
    bool addPasted(const QString &text, const QString &kid = {});
    bool addSecret(const QString &kid, const QString &secret, bool base64);
    bool exportPem(int row, const QString &path);
    void refreshUrlSources();

    KeysTableModel *keysModel() const { return m_model; }
    QString messageText() const;
    QJsonArray history() const { return m_history; }
    // Captures the key in row verified, as list lines (after selecting it).
    QStringList usageLines() const;
    void selectKey(int row);

Q_SIGNALS:
    void keySetChanged();
    void reverifyRequested(bool useSnapshots);

private:
    struct Source;
    void addSource(const QString &source, int kind, const Verify::KeySet &keys,
                   const Verify::KeySetSnapshotInfo &snapshot, const QStringList &keyErrors, bool notModified = false);
    void showMessage(const QString &text, bool error);
    void updateUsage();
    void updateButtons();
    void saveState() const;
    void loadState();
    void refreshHistoryTable();

    std::unique_ptr<Ui::KeysManagerDialog> m_ui;
    KeysTableModel *m_model = nullptr;
    QList<Source> m_sources;
    QJsonArray m_history;
    QString m_storePath;
    QString m_historyPath;
    int m_pastedCount = 0;
};
