#include "mainwindow.h"

#include "capture/paths.h"
#include "capture/store.h"
#include "captureitemdelegate.h"
#include "capturefilterproxy.h"
#include "capturelistmodel.h"
#include "curlcommand.h"
#include "detailpanes.h"
#include "endpointmanager.h"
#include "endpointsdialog.h"
#include "filterbar.h"
#include "keysmanagerdialog.h"
#include "settingsdialog.h"
#include "theme.h"
#include "verificationservice.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollBar>
#include <QSplitter>
#include <QStatusBar>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

static void initShellResources()
{
    Q_INIT_RESOURCE(shell); // the icons live in the static hookscope_ui library
}

MainWindow::MainWindow(Settings *settings, QWidget *parent)
    : QMainWindow(parent)
    , m_settings(settings)
{
    initShellResources();
    qRegisterMetaType<Capture::CapturePtr>();
    qRegisterMetaType<QList<Capture::Annotation>>();
    if (!m_settings) {
        m_ownedSettings = std::make_unique<Settings>();
        m_settings = m_ownedSettings.get();
    }
    setWindowTitle(tr("Hookscope"));
    setObjectName(QStringLiteral("MainWindow"));

    m_model = new CaptureListModel(this);
    m_proxy = new CaptureFilterProxy(this);
    m_proxy->setSourceModel(m_model);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_banner = new QLabel(central);
    m_banner->setWordWrap(true);
    m_banner->setMargin(8);
    m_banner->setAccessibleName(tr("Problem"));
    m_banner->setStyleSheet(QStringLiteral("QLabel { background: #fce8b2; color: #3d2e00; border-bottom: 1px solid #e0b000; }"));
    m_banner->hide();
    layout->addWidget(m_banner);
    m_filterBar = new FilterBar(central);
    layout->addWidget(m_filterBar);

    m_splitter = new QSplitter(Qt::Horizontal, central);
    m_view = new QTreeView(m_splitter);
    m_view->setModel(m_proxy);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAllColumnsShowFocus(true);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(CaptureListModel::Time, Qt::AscendingOrder);
    m_view->setItemDelegate(new CaptureItemDelegate(m_view));
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->setAccessibleName(tr("Captured requests"));
    m_view->setObjectName(QStringLiteral("captureList"));
    QHeaderView *header = m_view->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::Interactive);
    const int widths[] = {26, 96, 118, 78, 70, 62, 200, 120, 64, 54}; // in Column order
    for (int column = 0; column < CaptureListModel::ColumnCount; ++column)
        header->resizeSection(column, widths[column]);
    m_panes = new DetailPanes(m_splitter);
    m_panes->setAccessibleName(tr("Capture details"));
    m_splitter->addWidget(m_view);
    m_splitter->addWidget(m_panes);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setSizes({760, 520});
    layout->addWidget(m_splitter, 1);
    setCentralWidget(central);

    createActions();
    createMenus();
    createToolBar();
    createStatusBar();
    openStore();
    wireModel();

    if (!restoreGeometry(m_settings->windowGeometry()))
        resize(1280, 800);
    restoreState(m_settings->windowState());
    m_splitter->restoreState(m_settings->splitterState());
    header->restoreState(m_settings->headerState());
    m_followAction->setChecked(m_settings->followNewest());
    m_filterBar->setText(m_settings->lastFilter());

    if (m_store && m_settings->listenAtStartup())
        startListening();
    updateListeningState();
    updateCounts();
}

MainWindow::~MainWindow()
{
    if (m_endpoints)
        m_endpoints->stop();
    delete m_verification;
    m_verification = nullptr;
    if (m_store)
        m_store->close();
}

void MainWindow::openStore()
{
    const QString path = m_settings->effectiveStorePath();
    auto store = Capture::Store::open(path);
    if (!store) {
        showBanner(tr("The capture store could not be opened: %1. Choose another data location in Preferences.")
                       .arg(store.error()));
        return;
    }
    m_store = std::move(*store);
    auto reader = Capture::StoreReader::open(path);
    if (reader)
        m_reader.emplace(std::move(*reader));
    m_proxy->setStorePath(path);
    m_endpoints = new EndpointManager(m_store.get(), this);
    m_verification = new VerificationService(m_store.get());
    m_verification->setEndpoints(m_settings->endpoints(), m_settings->defaultPolicy());
    connect(m_endpoints, &EndpointManager::listeningChanged, this, [this](bool listening) {
        updateListeningState();
        Q_EMIT listeningChanged(listening);
    });
    connect(m_verification, &VerificationService::problem, this,
            [this](const QString &message) { m_messageLabel->setText(message); });
    connect(m_verification, &VerificationService::reverifyProgress, this, [this](int done, int total) {
        m_messageLabel->setText(done < total ? tr("Verifying again: %L1 of %L2").arg(done).arg(total)
                                             : tr("Verified %L1 captures again").arg(total));
    });

    // The store signals come from its writer thread: the context objects queue them here.
    VerificationService *verification = m_verification;
    connect(m_store.get(), &Capture::Store::captureStored, m_model,
            [verification](const Capture::CapturePtr &capture) { verification->analyze(capture); }, Qt::DirectConnection);
    connect(m_store.get(), &Capture::Store::captureStored, m_model, &CaptureListModel::enqueue, Qt::QueuedConnection);
    connect(m_store.get(), &Capture::Store::annotated, m_model, &CaptureListModel::applyAnnotations, Qt::QueuedConnection);
    connect(m_store.get(), &Capture::Store::removed, m_model, &CaptureListModel::removeIds, Qt::QueuedConnection);
    connect(m_store.get(), &Capture::Store::writeFailed, this,
            [this](const QString &error) { showBanner(tr("Captures can no longer be saved: %1").arg(error)); },
            Qt::QueuedConnection);
    m_model->loadFromStore(path);
}

void MainWindow::wireModel()
{
    connect(m_model, &CaptureListModel::countsChanged, this, &MainWindow::updateCounts);
    connect(m_model, &CaptureListModel::loadFinished, this, [this](const QString &error) {
        if (!error.isEmpty())
            m_messageLabel->setText(tr("Could not read the stored captures: %1").arg(error));
        // retention: the oldest captures beyond the limits go
        QList<qint64> expired;
        const int maxCount = m_settings->retentionMaxCaptures();
        const int rows = m_model->rowCount();
        const qint64 cutoff = m_settings->retentionMaxAgeDays() > 0
            ? QDateTime::currentMSecsSinceEpoch() - qint64(m_settings->retentionMaxAgeDays()) * 86'400'000 : 0;
        for (int row = 0; row < rows; ++row) {
            const bool tooMany = maxCount > 0 && rows - row > maxCount;
            const auto &r = m_model->row(row);
            if (!tooMany && r.receivedAtMs >= cutoff)
                break;
            if (!(r.flags & CaptureListModel::PinnedFlag))
                expired.append(r.id);
        }
        if (!expired.isEmpty() && m_store)
            m_store->remove(expired);
        if (m_followAction->isChecked())
            m_view->scrollToBottom();
    });
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_followAction->isChecked())
            m_view->scrollToBottom();
    });
    connect(m_proxy, &CaptureFilterProxy::filterApplied, this, [this](int visible, qint64 ms) {
        m_filterBar->setMatchInfo(m_proxy->filter().isEmpty()
                                      ? QString()
                                      : tr("%L1 of %L2 (%3 ms)").arg(visible).arg(m_model->rowCount()).arg(ms));
        if (m_view->currentIndex().isValid())
            m_view->scrollTo(m_view->currentIndex());
        else if (m_shownId)
            showCurrentCapture(); // the shown capture was filtered out: clear the panes
        else if (m_followAction->isChecked())
            m_view->scrollToBottom();
    });
    connect(m_proxy, &CaptureFilterProxy::busyChanged, this, [this](bool busy) {
        if (busy)
            m_filterBar->setMatchInfo(tr("filtering…"));
    });
    connect(m_proxy, &CaptureFilterProxy::filterFailed, this,
            [this](const QString &error) { m_filterBar->setMatchInfo(tr("filter failed: %1").arg(error)); });
    connect(m_filterBar, &FilterBar::filterChanged, this, [this](const Capture::CaptureFilter &filter, const QString &text) {
        m_settings->setLastFilter(text);
        m_proxy->setFilter(filter);
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &MainWindow::showCurrentCapture);
    connect(m_view, &QWidget::customContextMenuRequested, this, &MainWindow::showContextMenu);
    // A verdict arriving for the shown capture refreshes the panes (coalesced).
    m_refreshShown.setSingleShot(true);
    m_refreshShown.setInterval(150);
    connect(&m_refreshShown, &QTimer::timeout, this, &MainWindow::showCurrentCapture);
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
        const int row = m_shownId ? m_model->rowOfId(m_shownId) : -1;
        if (row >= topLeft.row() && row <= bottomRight.row())
            m_refreshShown.start();
    });
    connect(m_settings, &Settings::themeChanged, this, [](Settings::Theme theme) { applyTheme(theme); });
}

void MainWindow::createActions()
{
    const auto make = [this](const QString &text, const QString &iconName, const QKeySequence &shortcut,
                             auto slot, QWidget *scope = nullptr) {
        auto *action = new QAction(QIcon::fromTheme(iconName), text, scope ? static_cast<QObject *>(scope) : this);
        if (!shortcut.isEmpty())
            action->setShortcut(shortcut);
        if (scope) {
            action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
            scope->addAction(action);
        }
        connect(action, &QAction::triggered, this, slot);
        return action;
    };
    m_listenAction = make(tr("&Listen"), QStringLiteral("media-playback-start"), QKeySequence(Qt::CTRL | Qt::Key_L), [this] {
        if (m_endpoints && m_endpoints->isListening())
            stopListening();
        else
            startListening();
    });
    m_listenAction->setToolTip(tr("Start or stop listening on the configured endpoints (Ctrl+L)"));
    m_pauseAction = make(tr("&Pause List"), QStringLiteral("media-playback-pause"), QKeySequence(Qt::CTRL | Qt::Key_P),
                         [this](bool checked) { setPaused(checked); });
    m_pauseAction->setCheckable(true);
    m_pauseAction->setToolTip(tr("Freeze the list: requests are still answered, stored and verified; "
                                 "they appear when you resume (Ctrl+P)"));
    m_followAction = make(tr("&Follow Newest"), QStringLiteral("go-bottom"), QKeySequence(Qt::CTRL | Qt::Key_End),
                          [this](bool checked) {
                              m_settings->setFollowNewest(checked);
                              if (checked)
                                  m_view->scrollToBottom();
                          });
    m_followAction->setCheckable(true);
    m_clearAction = make(tr("&Clear All…"), QStringLiteral("edit-clear-all"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Delete),
                         &MainWindow::clearAll);
    m_copyUrlAction = make(tr("Copy &URL"), QStringLiteral("edit-copy"), QKeySequence(), [this] {
        QGuiApplication::clipboard()->setText(m_urlEdit->text());
        m_messageLabel->setText(tr("Copied %1").arg(m_urlEdit->text()));
    });
    m_copyUrlAction->setToolTip(tr("Copy the listener URL to the clipboard"));
    m_filterAction = make(tr("&Filter"), QStringLiteral("edit-find"), QKeySequence::Find, [this] { m_filterBar->focusFilter(); });
    m_reverifyAction = make(tr("&Verify Again"), QStringLiteral("view-refresh"), QKeySequence(Qt::Key_F5), &MainWindow::reverifySelected);
    m_reverifyAllAction = make(tr("Verify &All Again"), QStringLiteral("view-refresh"), QKeySequence(Qt::SHIFT | Qt::Key_F5),
                               &MainWindow::reverifyAll);
    // list-scoped keys: plain letters must not fire while typing in the filter box
    m_nextAction = make(tr("&Next Capture"), QString(), QKeySequence(Qt::Key_J), &MainWindow::selectNext, m_view);
    m_previousAction = make(tr("P&revious Capture"), QString(), QKeySequence(Qt::Key_K), &MainWindow::selectPrevious, m_view);
    m_deleteAction = make(tr("&Delete"), QStringLiteral("edit-delete"), QKeySequence::Delete, &MainWindow::removeSelected, m_view);
    m_copyAction = make(tr("&Copy Request"), QStringLiteral("edit-copy"), QKeySequence::Copy, &MainWindow::copyRaw, m_view);
    m_copyCurlAction = make(tr("Copy as c&url"), QString(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C), &MainWindow::copyCurl, m_view);
    m_pinAction = make(tr("&Pin"), QString(), QKeySequence(Qt::Key_S), &MainWindow::togglePin, m_view);
    m_commentAction = make(tr("Co&mment…"), QString(), QKeySequence(Qt::Key_C), &MainWindow::editComment, m_view);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_listenAction);
    QAction *endpoints = file->addAction(tr("&Endpoints…"), this, &MainWindow::showEndpoints);
    endpoints->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    QAction *keys = file->addAction(tr("&Keys…"), this, &MainWindow::showKeysManager);
    keys->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    file->addSeparator();
    QAction *quit = file->addAction(QIcon::fromTheme(QStringLiteral("application-exit")), tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addActions({m_copyAction, m_copyCurlAction, m_pinAction, m_commentAction});
    edit->addSeparator();
    edit->addActions({m_deleteAction, m_clearAction});
    edit->addSeparator();
    edit->addAction(m_filterAction);
    edit->addSeparator();
    QAction *preferences = edit->addAction(QIcon::fromTheme(QStringLiteral("preferences-system")), tr("&Preferences…"),
                                           this, &MainWindow::showSettings);
    preferences->setShortcut(QKeySequence::Preferences);
    preferences->setMenuRole(QAction::PreferencesRole);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addActions({m_nextAction, m_previousAction});
    view->addSeparator();
    view->addActions({m_followAction, m_pauseAction});

    QMenu *verify = menuBar()->addMenu(tr("&Verify"));
    verify->addActions({m_reverifyAction, m_reverifyAllAction});
    verify->addAction(keys);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *filterHelp = help->addAction(tr("&Filter Syntax"), this, [this] {
        QMessageBox::information(this, tr("Filter syntax"), Capture::CaptureFilter::syntaxHelp());
    });
    filterHelp->setMenuRole(QAction::NoRole);
    QAction *about = help->addAction(tr("&About Hookscope"), this, &MainWindow::showAbout);
    about->setMenuRole(QAction::AboutRole);
}

void MainWindow::createToolBar()
{
    QToolBar *toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolBar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addAction(m_listenAction);
    m_urlEdit = new QLineEdit(toolbar);
    m_urlEdit->setReadOnly(true);
    m_urlEdit->setMinimumWidth(220);
    m_urlEdit->setMaximumWidth(360);
    m_urlEdit->setAccessibleName(tr("Listener URL"));
    m_urlEdit->setToolTip(tr("Send webhooks here"));
    toolbar->addWidget(m_urlEdit);
    toolbar->addAction(m_copyUrlAction);
    toolbar->addSeparator();
    toolbar->addAction(m_pauseAction);
    toolbar->addAction(m_followAction);
    toolbar->addAction(m_clearAction);
}

void MainWindow::createStatusBar()
{
    m_messageLabel = new QLabel(this);
    m_messageLabel->setAccessibleName(tr("Last message"));
    m_countsLabel = new QLabel(this);
    m_countsLabel->setAccessibleName(tr("Capture counts"));
    m_listeningLabel = new QLabel(this);
    m_listeningLabel->setAccessibleName(tr("Listening state"));
    statusBar()->addWidget(m_messageLabel, 1);
    statusBar()->addPermanentWidget(m_countsLabel);
    statusBar()->addPermanentWidget(m_listeningLabel);
}

void MainWindow::showBanner(const QString &text)
{
    m_banner->setText(text);
    m_banner->setVisible(!text.isEmpty());
}

QString MainWindow::bannerText() const
{
    return m_banner->isVisible() || !m_banner->isHidden() ? m_banner->text() : QString();
}

void MainWindow::startListening()
{
    if (!m_endpoints)
        return;
    const QList<EndpointConfig> endpoints = m_settings->endpoints();
    m_verification->setEndpoints(endpoints, m_settings->defaultPolicy());
    const QStringList errors = m_endpoints->start(endpoints, m_settings->limits(), Capture::dataDirectory());
    if (errors.isEmpty()) {
        showBanner(QString());
    } else {
        showBanner(tr("Not listening on every endpoint: %1. Another program may use the port: change it in "
                      "File › Endpoints, or stop the other program, then press Listen.")
                       .arg(errors.join(QStringLiteral("; "))));
    }
    updateListeningState();
}

void MainWindow::stopListening()
{
    if (m_endpoints)
        m_endpoints->stop();
    updateListeningState();
}

void MainWindow::updateListeningState()
{
    const bool listening = m_endpoints && m_endpoints->isListening();
    m_listenAction->setText(listening ? tr("Stop &Listening") : tr("&Listen"));
    m_listenAction->setIcon(QIcon::fromTheme(listening ? QStringLiteral("media-playback-stop")
                                                       : QStringLiteral("media-playback-start")));
    QStringList urls;
    if (m_endpoints) {
        for (const EndpointManager::Status &status : m_endpoints->statuses()) {
            if (status.listening)
                urls.append(status.url.toString());
        }
    }
    m_urlEdit->setText(urls.value(0));
    m_copyUrlAction->setEnabled(!urls.isEmpty());
    m_listeningLabel->setText(listening ? tr("● Listening on %1").arg(urls.join(QStringLiteral(", ")))
                                        : tr("○ Not listening"));
}

void MainWindow::updateCounts()
{
    m_countsLabel->setText(tr("%L1 captures · %L2 failed verification · %L3 rejected")
                               .arg(m_model->rowCount())
                               .arg(m_model->failedCount())
                               .arg(m_model->rejectedCount())
                           + (m_model->isPaused() && m_model->pendingCount()
                                  ? tr(" · %L1 waiting (paused)").arg(m_model->pendingCount()) : QString()));
}

void MainWindow::setPaused(bool paused)
{
    m_model->setPaused(paused);
    m_pauseAction->setChecked(paused);
    updateCounts();
}

qint64 MainWindow::currentId() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.data(CaptureListModel::IdRole).toLongLong() : 0;
}

QList<qint64> MainWindow::selectedIds() const
{
    QList<qint64> ids;
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows)
        ids.append(index.data(CaptureListModel::IdRole).toLongLong());
    if (ids.isEmpty() && currentId())
        ids.append(currentId());
    return ids;
}

std::optional<Capture::StoredCapture> MainWindow::loadCurrent() const
{
    const qint64 id = currentId();
    if (!id || !m_reader)
        return std::nullopt;
    return m_reader->load(id);
}

void MainWindow::showCurrentCapture()
{
    const auto stored = loadCurrent();
    if (!stored) {
        m_shownId = 0;
        m_panes->clear();
        return;
    }
    m_shownId = stored->request.id;
    m_panes->showCapture(*stored);
}

void MainWindow::moveSelection(int delta)
{
    const int rows = m_proxy->rowCount();
    if (rows == 0)
        return;
    const QModelIndex current = m_view->currentIndex();
    const int row = current.isValid() ? qBound(0, current.row() + delta, rows - 1) : (delta > 0 ? 0 : rows - 1);
    const QModelIndex target = m_proxy->index(row, 0);
    m_view->selectionModel()->setCurrentIndex(target, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->scrollTo(target);
}

void MainWindow::selectNext()
{
    moveSelection(1);
}

void MainWindow::selectPrevious()
{
    moveSelection(-1);
}

void MainWindow::removeSelected()
{
    const QList<qint64> ids = selectedIds();
    if (!ids.isEmpty() && m_store)
        m_store->remove(ids);
}

void MainWindow::clearAll()
{
    if (!m_store)
        return;
    const auto answer = QMessageBox::question(this, tr("Clear all captures"),
                                              tr("Delete all %L1 captures from the store? This cannot be undone.")
                                                  .arg(m_model->rowCount()),
                                              QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Yes)
        m_store->remove({});
}

void MainWindow::copyRaw()
{
    if (const auto stored = loadCurrent()) {
        QGuiApplication::clipboard()->setText(rawRequestText(stored->request));
        m_messageLabel->setText(tr("Copied the request as received"));
    }
}

void MainWindow::copyCurl()
{
    const auto stored = loadCurrent();
    if (!stored)
        return;
    QUrl base = m_endpoints ? m_endpoints->primaryUrl() : QUrl();
    if (m_endpoints) {
        for (const EndpointManager::Status &status : m_endpoints->statuses()) {
            if (status.listening && status.config.name == stored->request.endpoint)
                base = status.url;
        }
    }
    QGuiApplication::clipboard()->setText(curlCommand(stored->request, base));
    m_messageLabel->setText(tr("Copied as a curl command"));
}

void MainWindow::reverifySelected()
{
    const QList<qint64> ids = selectedIds();
    if (!ids.isEmpty() && m_verification)
        m_verification->reverify(ids);
}

void MainWindow::reverifyAll()
{
    if (m_verification)
        m_verification->reverify({});
}

void MainWindow::togglePin()
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid() || !m_store)
        return;
    const bool pinned = !current.data(CaptureListModel::PinnedRole).toBool();
    for (const qint64 id : selectedIds()) {
        m_store->setPinned(id, pinned);
        m_model->setPinned(id, pinned);
    }
}

void MainWindow::editComment()
{
    const auto stored = loadCurrent();
    if (!stored || !m_store)
        return;
    bool ok = false;
    const QString comment = QInputDialog::getMultiLineText(this, tr("Comment"), tr("Comment on capture #%1:").arg(stored->request.id),
                                                           stored->comment, &ok);
    if (!ok)
        return;
    m_store->setComment(stored->request.id, comment);
    m_model->setHasComment(stored->request.id, !comment.isEmpty());
}

void MainWindow::showContextMenu(const QPoint &position)
{
    QMenu menu(this);
    menu.addActions({m_copyAction, m_copyCurlAction});
    menu.addSeparator();
    menu.addActions({m_pinAction, m_commentAction, m_reverifyAction});
    menu.addSeparator();
    menu.addAction(m_deleteAction);
    menu.exec(m_view->viewport()->mapToGlobal(position));
}

void MainWindow::showSettings()
{
    SettingsDialog dialog(m_settings, this);
    dialog.exec();
}

void MainWindow::showEndpoints()
{
    EndpointsDialog dialog(m_settings->endpoints(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_settings->setEndpoints(dialog.endpoints());
    if (m_endpoints && m_endpoints->isListening())
        startListening(); // restart with the new configuration
    else if (m_verification)
        m_verification->setEndpoints(m_settings->endpoints(), m_settings->defaultPolicy());
}

void MainWindow::showKeysManager()
{
    if (!m_keysManager) {
        m_keysManager = new KeysManagerDialog(this);
        m_keysManager->setStorePath(m_settings->effectiveStorePath());
        connect(m_keysManager, &KeysManagerDialog::keySetChanged, this, [this] {
            if (m_verification)
                m_verification->setSharedKeys(m_keysManager->keySet());
        });
        connect(m_keysManager, &KeysManagerDialog::reverifyRequested, this, [this] { reverifyAll(); });
    }
    m_keysManager->show();
    m_keysManager->raise();
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Hookscope"),
                       tr("<h3>Hookscope %1</h3><p>Captures webhooks, verifies their digests and signatures, "
                          "and explains every verdict.</p>")
                           .arg(QCoreApplication::applicationVersion()));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_settings->saveWindow(saveGeometry(), saveState(), m_splitter->saveState(), m_view->header()->saveState());
    m_settings->sync();
    QMainWindow::closeEvent(event);
}
