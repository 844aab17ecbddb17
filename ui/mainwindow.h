#pragma once

#include "capture/storereader.h"
#include "settings.h"

#include <QMainWindow>
#include <QTimer>

#include <memory>
#include <optional>

class QAction;
class QLabel;
class QLineEdit;
class QTreeView;
class QSplitter;
class CaptureListModel;
class CaptureFilterProxy;
class DetailPanes;
class EndpointManager;
class FilterBar;
class KeysManagerDialog;
class VerificationService;
namespace Capture { class Store; }

/// The main window: toolbar (listen, URL, pause, clear), filter bar, the capture list beside the
/// detail panes, and a status bar with counts and the listening state. Its dependencies come
/// from Settings (store location, endpoints), so tests run it on a temporary store and port 0.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    /// settings: nullptr uses the user's settings (owned by the window).
    explicit MainWindow(Settings *settings = nullptr, QWidget *parent = nullptr);
    ~MainWindow() override;

    CaptureListModel *captureModel() const { return m_model; }
    CaptureFilterProxy *filterProxy() const { return m_proxy; }
    QTreeView *captureView() const { return m_view; }
    FilterBar *filterBar() const { return m_filterBar; }
    EndpointManager *endpointManager() const { return m_endpoints; }
    Capture::Store *store() const { return m_store.get(); }
    /// The banner's text ("port 8080 is in use ..."), empty when hidden.
    QString bannerText() const;
    /// The capture shown in the detail panes (0: none).
    qint64 shownCaptureId() const { return m_shownId; }

public Q_SLOTS:
    void startListening();
    void stopListening();
    void setPaused(bool paused);
    void selectNext();
    void selectPrevious();
    void removeSelected();
    void clearAll();
    void copyRaw();
    void copyCurl();
    void reverifySelected();
    void reverifyAll();
    void togglePin();
    void editComment();

Q_SIGNALS:
    void listeningChanged(bool listening);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void openStore();
    void createActions();
    void createMenus();
    void createToolBar();
    void createStatusBar();
    void wireModel();
    void showBanner(const QString &text);
    void updateCounts();
    void updateListeningState();
    void showCurrentCapture();
    void showContextMenu(const QPoint &position);
    void showSettings();
    void showEndpoints();
    void showKeysManager();
    void showAbout();
    QList<qint64> selectedIds() const;
    qint64 currentId() const;
    std::optional<Capture::StoredCapture> loadCurrent() const;
    void moveSelection(int delta);

    Settings *m_settings;
    std::unique_ptr<Settings> m_ownedSettings;
    std::unique_ptr<Capture::Store> m_store;
    std::optional<Capture::StoreReader> m_reader;
    CaptureListModel *m_model = nullptr;
    CaptureFilterProxy *m_proxy = nullptr;
    QTreeView *m_view = nullptr;
    DetailPanes *m_panes = nullptr;
    QSplitter *m_splitter = nullptr;
    FilterBar *m_filterBar = nullptr;
    EndpointManager *m_endpoints = nullptr;
    VerificationService *m_verification = nullptr;
    KeysManagerDialog *m_keysManager = nullptr;
    QLabel *m_banner = nullptr;
    QLineEdit *m_urlEdit = nullptr;
    QLabel *m_countsLabel = nullptr;
    QLabel *m_listeningLabel = nullptr;
    QLabel *m_messageLabel = nullptr;
    QTimer m_refreshShown;
    qint64 m_shownId = 0;

    QAction *m_listenAction = nullptr;
    QAction *m_pauseAction = nullptr;
    QAction *m_followAction = nullptr;
    QAction *m_clearAction = nullptr;
    QAction *m_copyUrlAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_copyAction = nullptr;
    QAction *m_copyCurlAction = nullptr;
    QAction *m_reverifyAction = nullptr;
    QAction *m_reverifyAllAction = nullptr;
    QAction *m_pinAction = nullptr;
    QAction *m_commentAction = nullptr;
    QAction *m_nextAction = nullptr;
    QAction *m_previousAction = nullptr;
    QAction *m_filterAction = nullptr;
};
