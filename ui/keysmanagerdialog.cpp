#include "keysmanagerdialog.h"
#include "ui_keysmanagerdialog.h"

#include "keystablemodel.h"

#include "capture/keyusage.h"
#include "capture/paths.h"
#include "verify/jwk.h"
#include "verify/keysource.h"

#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QPushButton>
#include <QSaveFile>
#include <QShortcut>
#include <QUrl>

namespace {

enum Kind { FileKind, UrlKind, PastedKind, SecretKind };

QString kindName(int kind)
{
    switch (kind) {
    case FileKind:
        return QStringLiteral("file");
    case UrlKind:
        return QStringLiteral("url");
    case PastedKind:
        return QStringLiteral("pasted");
    default:
        return QStringLiteral("secret");
    }
}

} // namespace

struct KeysManagerDialog::Source
{
    QString source;
    int kind = FileKind;
    Verify::KeySet keys;
    Verify::KeySetSnapshotInfo snapshot;
    QPointer<Verify::KeySource> fetcher;
};

KeysManagerDialog::KeysManagerDialog(QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::KeysManagerDialog>())
    , m_model(new KeysTableModel(this))
{
    m_ui->setupUi(this);
    m_ui->keysView->setModel(m_model);
    m_ui->keysView->verticalHeader()->hide();
    m_ui->keysView->setWordWrap(false);
    m_ui->keysView->setTextElideMode(Qt::ElideMiddle);
    QHeaderView *header = m_ui->keysView->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(KeysTableModel::ThumbprintColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(KeysTableModel::SourceColumn, QHeaderView::Interactive);
    header->resizeSection(KeysTableModel::SourceColumn, 200);
    m_ui->historyTable->setColumnCount(5);
    m_ui->historyTable->setHorizontalHeaderLabels({tr("Time"), tr("Source"), tr("ETag"), tr("Keys"), tr("Note")});
    m_ui->historyTable->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_ui->historyTable->verticalHeader()->hide();

    connect(m_ui->loadFileButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Load keys"), QString(),
                                                          tr("Keys (*.json *.jwks *.pem *.crt *.cer);;All files (*)"));
        if (!path.isEmpty())
            loadFile(path);
    });
    connect(m_ui->loadUrlButton, &QPushButton::clicked, this,
            [this] { loadUrl(m_ui->urlEdit->text().trimmed(), m_ui->allowHttpCheck->isChecked()); });
    connect(m_ui->urlEdit, &QLineEdit::returnPressed, m_ui->loadUrlButton, &QPushButton::click);
    connect(m_ui->addPastedButton, &QPushButton::clicked, this, [this] {
        if (addPasted(m_ui->pasteEdit->toPlainText(), m_ui->pasteKidEdit->text().trimmed()))
            m_ui->pasteEdit->clear();
    });
    connect(m_ui->addSecretButton, &QPushButton::clicked, this, [this] {
        if (addSecret(m_ui->secretKidEdit->text().trimmed(), m_ui->secretEdit->text(), m_ui->secretBase64Check->isChecked()))
            m_ui->secretEdit->clear();
    });
    connect(m_ui->exportPemButton, &QPushButton::clicked, this, [this] {
        const int row = m_ui->keysView->currentIndex().row();
        const Verify::KeyPtr key = m_model->keyAt(row);
        if (!key)
            return showMessage(tr("Select a key to export."), true);
        const QString path = QFileDialog::getSaveFileName(this, tr("Export public key"),
                                                          (key->kid.isEmpty() ? QStringLiteral("key") : key->kid) + QStringLiteral(".pem"),
                                                          tr("PEM files (*.pem)"));
        if (!path.isEmpty())
            exportPem(row, path);
    });
    connect(m_ui->refreshButton, &QPushButton::clicked, this, &KeysManagerDialog::refreshUrlSources);
    connect(m_ui->removeButton, &QPushButton::clicked, this, [this] {
        const QString source = m_model->sourceAt(m_ui->keysView->currentIndex().row());
        for (qsizetype i = 0; i < m_sources.size(); ++i) {
            if (m_sources.at(i).source == source) {
                if (m_sources.at(i).fetcher)
                    m_sources.at(i).fetcher->deleteLater();
                m_sources.removeAt(i);
                break;
            }
        }
        m_model->removeSource(source);
        saveState();
        updateButtons();
        Q_EMIT keySetChanged();
    });
    connect(m_ui->reverifyAllButton, &QPushButton::clicked, this, [this] { Q_EMIT reverifyRequested(false); });
    connect(m_ui->reverifySnapshotsButton, &QPushButton::clicked, this, [this] { Q_EMIT reverifyRequested(true); });
    auto *reverify = new QShortcut(QKeySequence(Qt::Key_F5), this);
    connect(reverify, &QShortcut::activated, this, [this] { Q_EMIT reverifyRequested(false); });
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_ui->keysView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        updateUsage();
        updateButtons();
    });
    m_ui->messageLabel->hide();
    setHistoryPath(QDir(Capture::dataDirectory()).filePath(QStringLiteral("keys.json")));
    updateButtons();
}

KeysManagerDialog::~KeysManagerDialog() = default;

Verify::KeySet KeysManagerDialog::keySet() const
{
    Verify::KeySet all;
    for (const Source &source : m_sources) {
        for (const Verify::KeyPtr &key : source.keys.keys())
            all.add(key);
        if (source.kind != SecretKind && !source.snapshot.document.isEmpty())
            all.sources.append(source.snapshot);
    }
    return all;
}

void KeysManagerDialog::setStorePath(const QString &path)
{
    m_storePath = path;
    updateUsage();
}

QString KeysManagerDialog::messageText() const
{
    return m_ui->messageLabel->text();
}

void KeysManagerDialog::showMessage(const QString &text, bool error)
{
    m_ui->messageLabel->setText((error ? QStringLiteral("✖ ") : QStringLiteral("✔ ")) + text);
    m_ui->messageLabel->setStyleSheet(error ? QStringLiteral("color: #b3261e;") : QString());
    m_ui->messageLabel->setVisible(!text.isEmpty());
}

void KeysManagerDialog::addSource(const QString &source, int kind, const Verify::KeySet &keys,
                                  const Verify::KeySetSnapshotInfo &snapshot, const QStringList &keyErrors, bool notModified)
{
    Source *entry = nullptr;
    for (Source &existing : m_sources) {
        if (existing.source == source)
            entry = &existing;
    }
    if (!entry) {
        m_sources.append(Source{source, kind, {}, {}, {}});
        entry = &m_sources.last();
    }
    entry->keys = keys;
    entry->snapshot = snapshot;
    const QDateTime fetchedAt = snapshot.fetchedAt.isValid() ? snapshot.fetchedAt : QDateTime::currentDateTimeUtc();
    m_model->setKeysFromSource(source, keys.keys(), fetchedAt);

    if (kind != SecretKind) {
        m_history.append(QJsonObject{{QStringLiteral("time"), fetchedAt.toUTC().toString(Qt::ISODateWithMs)},
                                     {QStringLiteral("source"), source},
                                     {QStringLiteral("kind"), kindName(kind)},
                                     {QStringLiteral("etag"), QString::fromLatin1(snapshot.etag)},
                                     {QStringLiteral("keyCount"), keys.keys().size()},
                                     {QStringLiteral("notModified"), notModified},
                                     {QStringLiteral("document"), QString::fromLatin1(snapshot.document.toBase64())}});
        refreshHistoryTable();
        saveState();
    }
    QString message = keys.keys().size() == 1 ? tr("Loaded 1 key from %1.").arg(source)
                                              : tr("Loaded %1 keys from %2.").arg(keys.keys().size()).arg(source);
    if (notModified)
        message = tr("%1 is unchanged (not modified).").arg(source);
    if (!keyErrors.isEmpty())
        message += u' ' + tr("Skipped: %1").arg(keyErrors.join(QStringLiteral("; ")));
    showMessage(message, !keyErrors.isEmpty() && keys.isEmpty());
    updateButtons();
    Q_EMIT keySetChanged();
}

bool KeysManagerDialog::loadFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        showMessage(tr("Cannot read %1: %2").arg(path, file.errorString()), true);
        return false;
    }
    const QByteArray document = file.readAll();
    const QString source = QFileInfo(path).absoluteFilePath();
    auto result = Verify::keySetFromDocument(document, source);
    if (!result) {
        showMessage(tr("%1 holds no usable keys: %2").arg(path, result.error()), true);
        return false;
    }
    if (!result->snapshot.fetchedAt.isValid())
        result->snapshot.fetchedAt = QDateTime::currentDateTimeUtc();
    if (result->snapshot.document.isEmpty())
        result->snapshot.document = document;
    result->snapshot.source = source;
    addSource(source, FileKind, result->keys, result->snapshot, result->errors);
    return true;
}

void KeysManagerDialog::loadUrl(const QString &url, bool allowHttp)
{
    const QUrl parsed(url);
    if (!parsed.isValid() || (parsed.scheme() != u"https" && parsed.scheme() != u"http")) {
        showMessage(tr("\"%1\" is not an http(s) URL.").arg(url), true);
        return;
    }
    if (parsed.scheme() == u"http" && !allowHttp) {
        showMessage(tr("Plain http can be tampered with on the way; tick \"Allow plain http\" to load %1 anyway.").arg(url), true);
        return;
    }
    Source *entry = nullptr;
    for (Source &existing : m_sources) {
        if (existing.source == url)
            entry = &existing;
    }
    if (!entry) {
        m_sources.append(Source{url, UrlKind, {}, {}, {}});
        entry = &m_sources.last();
    }
    if (!entry->fetcher) {
        Verify::KeySourceOptions options;
        options.allowHttp = allowHttp;
        auto *fetcher = new Verify::KeySource(url, options, this);
        entry->fetcher = fetcher;
        connect(fetcher, &Verify::KeySource::loaded, this, [this, fetcher](const Verify::KeySet &keys, bool notModified) {
            addSource(fetcher->source(), UrlKind, keys, fetcher->snapshot(), fetcher->keyErrors(), notModified);
        });
        connect(fetcher, &Verify::KeySource::failed, this,
                [this, url](const QString &message) { showMessage(tr("Fetching %1 failed: %2").arg(url, message), true); });
    }
    showMessage(tr("Fetching %1 …").arg(url), false);
    entry->fetcher->reload();
}

void KeysManagerDialog::refreshUrlSources()
{
    int count = 0;
    for (Source &source : m_sources) {
        if (source.kind == UrlKind && source.fetcher) {
            source.fetcher->reload();
            ++count;
        } else if (source.kind == FileKind) {
            loadFile(source.source);
            ++count;
        }
    }
    if (count == 0)
        showMessage(tr("There are no files or URLs to refresh."), false);
}

bool KeysManagerDialog::addPasted(const QString &text, const QString &kid)
{
    const QByteArray document = text.trimmed().toUtf8();
    if (document.isEmpty()) {
        showMessage(tr("Paste a JWK, a JWKS or a PEM public key first."), true);
        return false;
    }
    const QString source = tr("pasted %1").arg(++m_pastedCount);
    Verify::KeySourceResult result;
    if (document.startsWith("-----BEGIN") && !kid.isEmpty()) {
        auto key = Verify::keyFromPublicPem(document, kid, source);
        if (!key) {
            showMessage(tr("The pasted PEM is not usable: %1").arg(key.error()), true);
            return false;
        }
        result.keys.add(*key);
    } else {
        auto loaded = Verify::keySetFromDocument(document, source);
        if (!loaded) {
            showMessage(tr("The pasted text is not a usable key: %1").arg(loaded.error()), true);
            return false;
        }
        result = *loaded;
    }
    result.snapshot.source = source;
    result.snapshot.document = document;
    result.snapshot.fetchedAt = QDateTime::currentDateTimeUtc();
    addSource(source, PastedKind, result.keys, result.snapshot, result.errors);
    return true;
}

bool KeysManagerDialog::addSecret(const QString &kid, const QString &secret, bool base64)
{
    if (kid.isEmpty() || secret.isEmpty()) {
        showMessage(tr("An HMAC secret needs both a kid and the secret."), true);
        return false;
    }
    auto key = Verify::keyFromInlineSecret(kid + u'=' + (base64 ? QStringLiteral("base64:") : QString()) + secret);
    if (!key) {
        showMessage(tr("The secret is not usable: %1").arg(key.error()), true);
        return false;
    }
    Verify::KeySet keys;
    keys.add(*key);
    Verify::KeySetSnapshotInfo snapshot;
    snapshot.source = tr("secret %1").arg(kid);
    snapshot.fetchedAt = QDateTime::currentDateTimeUtc();
    addSource(snapshot.source, SecretKind, keys, snapshot, {});
    return true;
}

bool KeysManagerDialog::exportPem(int row, const QString &path)
{
    const Verify::KeyPtr key = m_model->keyAt(row);
    if (!key) {
        showMessage(tr("Select a key to export."), true);
        return false;
    }
    if (key->isSymmetric()) {
        showMessage(tr("%1 is an HMAC secret: it has no public key to export.").arg(key->kid), true);
        return false;
    }
    const auto pem = Verify::publicKeyToPem(*key);
    if (!pem) {
        showMessage(tr("Cannot export %1: %2").arg(key->kid, pem.error()), true);
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(*pem) != pem->size() || !file.commit()) {
        showMessage(tr("Cannot write %1: %2").arg(path, file.errorString()), true);
        return false;
    }
    showMessage(tr("Exported the public key of %1 to %2.").arg(key->kid, path), false);
    return true;
}

void KeysManagerDialog::selectKey(int row)
{
    m_ui->keysView->setCurrentIndex(m_model->index(row, 0));
}

QStringList KeysManagerDialog::usageLines() const
{
    QStringList lines;
    for (int i = 0; i < m_ui->usageList->count(); ++i)
        lines.append(m_ui->usageList->item(i)->text());
    return lines;
}

void KeysManagerDialog::updateUsage()
{
    m_ui->usageList->clear();
    const Verify::KeyPtr key = m_model->keyAt(m_ui->keysView->currentIndex().row());
    if (!key) {
        m_ui->usageLabel->setText(tr("Select a key to see the captures it verified."));
        return;
    }
    if (m_storePath.isEmpty()) {
        m_ui->usageLabel->setText(tr("No capture store is open."));
        return;
    }
    const auto usage = Capture::capturesVerifiedByKey(m_storePath, key->kid, QString::fromLatin1(key->thumbprint));
    if (!usage) {
        m_ui->usageLabel->setText(tr("Cannot read the capture store: %1").arg(usage.error()));
        return;
    }
    m_ui->usageLabel->setText(tr("Captures verified with %1 (by kid or thumbprint): %2").arg(key->kid).arg(usage->size()));
    const QLocale locale;
    for (const Capture::KeyUsage &entry : *usage) {
        const QDateTime time = QDateTime::fromMSecsSinceEpoch(entry.receivedAtMs);
        m_ui->usageList->addItem(tr("#%1  %2  %3 %4  (%5)")
                                     .arg(entry.id)
                                     .arg(locale.toString(time, QLocale::ShortFormat), QString::fromUtf8(entry.method),
                                          QString::fromUtf8(entry.target), entry.endpoint));
    }
}

void KeysManagerDialog::updateButtons()
{
    const Verify::KeyPtr key = m_model->keyAt(m_ui->keysView->currentIndex().row());
    m_ui->exportPemButton->setEnabled(key && !key->isSymmetric());
    m_ui->removeButton->setEnabled(bool(key));
    bool refreshable = false;
    for (const Source &source : std::as_const(m_sources))
        refreshable = refreshable || source.kind == UrlKind || source.kind == FileKind;
    m_ui->refreshButton->setEnabled(refreshable);
}

void KeysManagerDialog::refreshHistoryTable()
{
    m_ui->historyTable->setRowCount(int(m_history.size()));
    const QLocale locale;
    for (int row = 0; row < m_history.size(); ++row) {
        // newest first
        const QJsonObject entry = m_history.at(m_history.size() - 1 - row).toObject();
        const QDateTime time = QDateTime::fromString(entry.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs);
        const QStringList cells{locale.toString(time.toLocalTime(), QLocale::ShortFormat),
                                entry.value(QStringLiteral("source")).toString(),
                                entry.value(QStringLiteral("etag")).toString(),
                                QString::number(entry.value(QStringLiteral("keyCount")).toInt()),
                                entry.value(QStringLiteral("notModified")).toBool() ? tr("not modified") : QString()};
        for (int column = 0; column < cells.size(); ++column)
            m_ui->historyTable->setItem(row, column, new QTableWidgetItem(cells.at(column)));
    }
}

void KeysManagerDialog::setHistoryPath(const QString &path)
{
    m_historyPath = path;
    loadState();
}

void KeysManagerDialog::saveState() const
{
    if (m_historyPath.isEmpty())
        return;
    // Sources to restore next time; HMAC secrets are deliberately not written to disk.
    QJsonArray sources;
    for (const Source &source : m_sources) {
        if (source.kind == SecretKind)
            continue;
        QJsonObject entry{{QStringLiteral("kind"), kindName(source.kind)}, {QStringLiteral("source"), source.source}};
        if (source.kind == PastedKind)
            entry.insert(QStringLiteral("document"), QString::fromUtf8(source.snapshot.document));
        sources.append(entry);
    }
    QDir().mkpath(QFileInfo(m_historyPath).absolutePath());
    QSaveFile file(m_historyPath);
    if (!file.open(QIODevice::WriteOnly))
        return;
    file.write(QJsonDocument(QJsonObject{{QStringLiteral("sources"), sources}, {QStringLiteral("history"), m_history}}).toJson());
    file.commit();
}

void KeysManagerDialog::loadState()
{
    QFile file(m_historyPath);
    if (!file.open(QIODevice::ReadOnly))
        return refreshHistoryTable();
    const QJsonObject state = QJsonDocument::fromJson(file.readAll()).object();
    m_history = state.value(QStringLiteral("history")).toArray();
    refreshHistoryTable();
    const QString previousPath = std::exchange(m_historyPath, QString()); // no saving while restoring
    const QJsonArray history = m_history;
    for (const QJsonValue &value : state.value(QStringLiteral("sources")).toArray()) {
        const QJsonObject entry = value.toObject();
        const QString kind = entry.value(QStringLiteral("kind")).toString();
        const QString source = entry.value(QStringLiteral("source")).toString();
        if (kind == u"file")
            loadFile(source);
        else if (kind == u"url")
            loadUrl(source, QUrl(source).scheme() == u"http");
        else if (kind == u"pasted")
            addPasted(entry.value(QStringLiteral("document")).toString());
    }
    m_history = history; // restoring is not a new snapshot
    refreshHistoryTable();
    m_historyPath = previousPath;
}
