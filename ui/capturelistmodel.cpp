#include "capturelistmodel.h"

#include "capture/storereader.h"
#include "verdictstyle.h"

#include <QDateTime>
#include <QLocale>
#include <QPointer>

#include <algorithm>

namespace {

constexpr int MaxInterned = 65'000; // ids are quint16; beyond this the last slot means "other"

quint8 statusIndex(const QStringList &names, const QString &status)
{
    const qsizetype index = names.indexOf(status);
    return index < 0 ? 0 : quint8(index);
}

// Interns a string into a pool, returning its small id.
template<typename Key, typename Pool>
quint16 intern(QHash<Key, quint16> &index, Pool &values, const Key &value)
{
    const auto it = index.constFind(value);
    if (it != index.cend())
        return *it;
    if (values.size() >= MaxInterned)
        return quint16(values.size() - 1);
    const quint16 id = quint16(values.size());
    values.append(value);
    index.insert(value, id);
    return id;
}

} // namespace

Capture::FilterRow CaptureListModel::Snapshot::filterRow(const Row &row) const
{
    Capture::FilterRow f;
    f.id = row.id;
    f.receivedAtMs = row.receivedAtMs;
    f.bodySize = row.bodySize;
    f.method = methods.at(row.method);
    f.path = QByteArrayView(paths.constData() + row.pathOffset, row.pathLength);
    f.endpoint = endpoints.at(row.endpoint);
    f.eventType = events.at(row.event);
    f.responseStatus = row.status;
    f.verdict = row.verdict;
    f.digestStatus = row.digest;
    f.signatureStatus = row.signature;
    f.pinned = row.flags & PinnedFlag;
    return f;
}

CaptureListModel::CaptureListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    // slot 0 of every pool is the empty string
    m_data.methods.append(QByteArray());
    m_data.endpoints.append(QString());
    m_data.events.append(QString());
    m_methodIndex.insert(QByteArray(), 0);
    m_endpointIndex.insert(QString(), 0);
    m_eventIndex.insert(QString(), 0);
    m_flushTimer.setInterval(100);
    connect(&m_flushTimer, &QTimer::timeout, this, &CaptureListModel::flushPending);
}

CaptureListModel::~CaptureListModel()
{
    if (m_cancelLoad)
        m_cancelLoad->store(true);
    m_loader.waitForDone(); // pages are posted to this object
}

void CaptureListModel::loadFromStore(const QString &storePath, int pageSize)
{
    if (m_cancelLoad)
        m_cancelLoad->store(true);
    m_cancelLoad = std::make_shared<std::atomic<bool>>(false);
    m_loading = true;
    m_flushTimer.stop();
    QPointer<CaptureListModel> self(this);
    m_loader.start([self, storePath, pageSize, cancel = m_cancelLoad] {
        auto reader = Capture::StoreReader::open(storePath);
        const auto post = [&](QList<Capture::CaptureSummary> page, bool last, const QString &error) {
            QMetaObject::invokeMethod(self.data(), [self, page = std::move(page), last, error, cancel] {
                if (!self || cancel->load())
                    return;
                self->appendSummaries(page);
                if (last) {
                    self->m_loading = false;
                    if (!self->m_data.rows.isEmpty())
                        self->discardPendingUpTo(self->m_data.rows.constLast().id);
                    self->flushPending();
                    Q_EMIT self->loadFinished(error);
                }
            }, Qt::QueuedConnection);
        };
        if (!reader) {
            post({}, true, reader.error());
            return;
        }
        qint64 after = 0;
        int size = qMin(pageSize, 2000); // a small first page paints at once
        while (!cancel->load()) {
            QList<Capture::CaptureSummary> page = reader->summaries(after, size);
            const bool last = page.size() < size;
            size = pageSize;
            if (!page.isEmpty())
                after = page.constLast().id;
            post(std::move(page), last, QString());
            if (last)
                break;
        }
    });
}

int CaptureListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_data.rows.size());
}

int CaptureListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

Qt::ItemFlags CaptureListModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemNeverHasChildren;
}

QVariant CaptureListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::DisplayRole) {
        switch (Column(section)) {
        case Pinned: return tr("★");
        case Time: return tr("Time");
        case Endpoint: return tr("Endpoint");
        case Method: return tr("Method");
        case Path: return tr("Path");
        case Event: return tr("Event");
        case BodySize: return tr("Size");
        case Digest: return tr("Digest");
        case Signature: return tr("Verdict");
        case Status: return tr("Status");
        case ColumnCount: break;
        }
    }
    if (role == Qt::ToolTipRole && section == Pinned)
        return tr("Pinned");
    if (role == Qt::ToolTipRole && section == Signature)
        return tr("The signature's status, or the verdict when there is no signature");
    return {};
}

QVariant CaptureListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_data.rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(row, index.column());
    case Qt::ToolTipRole:
        if (index.column() == Time)
            return QDateTime::fromMSecsSinceEpoch(row.receivedAtMs).toString(Qt::ISODateWithMs);
        if (index.column() == Signature && row.signature)
            return tr("Signature: %1").arg(Capture::signatureStatusNames().at(row.signature));
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == BodySize || index.column() == Status)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case IdRole: return row.id;
    case VerdictRole: return int(row.verdict);
    case ReceivedAtRole: return row.receivedAtMs;
    case PinnedRole: return bool(row.flags & PinnedFlag);
    case CommentRole: return bool(row.flags & CommentFlag);
    case SortRole: return sortKey(row, index.column());
    default: return {};
    }
}

QVariant CaptureListModel::display(const Row &row, int column) const
{
    switch (Column(column)) {
    case Pinned: return (row.flags & PinnedFlag) ? tr("★") : QString();
    case Time: {
        // today's captures show the time only; older ones their date too
        const QDateTime at = QDateTime::fromMSecsSinceEpoch(row.receivedAtMs);
        return at.date() == QDate::currentDate() ? at.toString(QStringLiteral("HH:mm:ss.zzz"))
                                                 : at.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    }
    case Endpoint: return m_data.endpoints.at(row.endpoint);
    case Method: return QString::fromLatin1(m_data.methods.at(row.method));
    case Path:
        return QString::fromUtf8(m_data.paths.constData() + row.pathOffset, row.pathLength);
    case Event: return m_data.events.at(row.event);
    case BodySize: return QLocale().formattedDataSize(row.bodySize, 1, QLocale::DataSizeTraditionalFormat);
    case Digest: return Capture::digestStatusNames().at(row.digest);
    case Signature: return VerdictStyle::text(row.verdict); // words agree with the icon beside them
    case Status: return row.status ? QVariant(int(row.status)) : QVariant();
    case ColumnCount: break;
    }
    return {};
}

QVariant CaptureListModel::sortKey(const Row &row, int column) const
{
    switch (Column(column)) {
    case Pinned: return bool(row.flags & PinnedFlag);
    case Time: return row.receivedAtMs;
    case BodySize: return row.bodySize;
    case Status: return int(row.status);
    case Signature: return int(row.verdict);
    default: return display(row, column);
    }
}

int CaptureListModel::rowOfId(qint64 id) const
{
    const auto it = std::lower_bound(m_data.rows.cbegin(), m_data.rows.cend(), id,
                                     [](const Row &row, qint64 value) { return row.id < value; });
    if (it == m_data.rows.cend() || it->id != id)
        return -1;
    return int(it - m_data.rows.cbegin());
}

CaptureListModel::Row CaptureListModel::makeRow(qint64 id, qint64 receivedAtMs, qint64 bodySize, const QByteArray &method,
                                                 const QByteArray &path, const QString &endpoint, const QString &event,
                                                 int status, Capture::Verdict verdict, quint8 digest, quint8 signature,
                                                 bool pinned)
{
    Row row;
    row.id = id;
    row.receivedAtMs = receivedAtMs;
    row.bodySize = bodySize;
    row.pathOffset = quint32(m_data.paths.size());
    row.pathLength = quint32(path.size());
    m_data.paths.append(path);
    row.method = intern(m_methodIndex, m_data.methods, method);
    row.endpoint = intern(m_endpointIndex, m_data.endpoints, endpoint);
    row.event = intern(m_eventIndex, m_data.events, event);
    row.status = quint16(status);
    row.verdict = verdict;
    row.digest = digest;
    row.signature = signature;
    row.flags = pinned ? PinnedFlag : 0;
    return row;
}

void CaptureListModel::appendSummaries(const QList<Capture::CaptureSummary> &summaries)
{
    std::vector<Row> rows;
    rows.reserve(size_t(summaries.size()));
    const qint64 lastId = m_data.rows.isEmpty() ? 0 : m_data.rows.constLast().id;
    for (const Capture::CaptureSummary &s : summaries) {
        if (s.id <= lastId)
            continue; // already listed (arrived live before the page was read)
        Row row = makeRow(s.id, s.receivedAtMs, s.bodySize, s.method, s.path, s.endpoint, s.eventType,
                          s.responseStatus, s.verdict, s.digestStatus, s.signatureStatus, s.pinned);
        takeEarlyAnnotation(row);
        rows.push_back(row);
    }
    appendRows(std::move(rows));
}

void CaptureListModel::enqueue(const Capture::CapturePtr &capture)
{
    m_pending.push_back(capture);
    if (!m_paused && !m_loading && !m_flushTimer.isActive())
        m_flushTimer.start();
}

void CaptureListModel::discardPendingUpTo(qint64 lastId)
{
    std::erase_if(m_pending, [lastId](const Capture::CapturePtr &c) { return c->id <= lastId; });
}

void CaptureListModel::setPaused(bool paused)
{
    m_paused = paused;
    if (paused)
        m_flushTimer.stop();
    else if (!m_pending.empty() && !m_loading)
        m_flushTimer.start();
}

void CaptureListModel::flushPending()
{
    m_flushTimer.stop();
    if (m_pending.empty() || m_paused || m_loading)
        return;
    std::vector<Row> rows;
    rows.reserve(m_pending.size());
    qint64 lastId = m_data.rows.isEmpty() ? 0 : m_data.rows.constLast().id;
    // Commit order is id order, but keep the invariant even if a caller mixes sources.
    std::sort(m_pending.begin(), m_pending.end(), [](const auto &a, const auto &b) { return a->id < b->id; });
    for (const Capture::CapturePtr &c : m_pending) {
        if (c->id <= lastId)
            continue;
        lastId = c->id;
        const Capture::Verdict verdict = c->isRejected() ? Capture::Verdict::Rejected : Capture::Verdict::Pending;
        const int status = c->isRejected() ? c->rejection.status : c->responseStatus;
        Row row = makeRow(c->id, c->firstByteAt.toMSecsSinceEpoch(), c->bodyView().size(), c->method, c->target,
                          c->endpoint, QString(), status, verdict, 0, 0, false);
        takeEarlyAnnotation(row);
        rows.push_back(row);
    }
    m_pending.clear();
    appendRows(std::move(rows));
}

void CaptureListModel::appendRows(std::vector<Row> rows)
{
    if (rows.empty())
        return;
    const int first = int(m_data.rows.size());
    beginInsertRows({}, first, first + int(rows.size()) - 1);
    m_data.rows.reserve(m_data.rows.size() + qsizetype(rows.size()));
    for (const Row &row : rows) {
        m_data.rows.append(row);
        countVerdict(row.verdict, 1);
    }
    endInsertRows();
    Q_EMIT countsChanged();
}

void CaptureListModel::countVerdict(Capture::Verdict verdict, int delta)
{
    if (verdict == Capture::Verdict::Invalid)
        m_failed += delta;
    else if (verdict == Capture::Verdict::Rejected)
        m_rejected += delta;
}

void CaptureListModel::applyAnnotations(const QList<Capture::Annotation> &annotations)
{
    QList<int> changed;
    for (const Capture::Annotation &a : annotations) {
        const int index = rowOfId(a.id);
        if (index < 0) {
            // still queued: the flush applies it when the row is inserted
            if (m_data.rows.isEmpty() || a.id > m_data.rows.constLast().id)
                m_earlyAnnotations.insert(a.id, a);
            continue;
        }
        Row &row = m_data.rows[index];
        countVerdict(row.verdict, -1);
        annotateRow(row, a);
        countVerdict(row.verdict, 1);
        changed.append(index);
    }
    if (changed.isEmpty())
        return;
    // One dataChanged per contiguous run of rows, never a whole-table range.
    std::sort(changed.begin(), changed.end());
    int start = changed.first();
    for (qsizetype i = 1; i <= changed.size(); ++i) {
        if (i < changed.size() && changed[i] <= changed[i - 1] + 1)
            continue;
        Q_EMIT dataChanged(index(start, 0), index(changed[i - 1], ColumnCount - 1));
        if (i < changed.size())
            start = changed[i];
    }
    Q_EMIT countsChanged();
}

void CaptureListModel::annotateRow(Row &row, const Capture::Annotation &annotation)
{
    row.verdict = annotation.verdict;
    row.digest = statusIndex(Capture::digestStatusNames(), annotation.digestStatus);
    row.signature = statusIndex(Capture::signatureStatusNames(), annotation.signatureStatus);
    row.event = intern(m_eventIndex, m_data.events, annotation.eventType);
}

void CaptureListModel::takeEarlyAnnotation(Row &row)
{
    if (m_earlyAnnotations.isEmpty())
        return;
    if (const auto early = m_earlyAnnotations.constFind(row.id); early != m_earlyAnnotations.cend()) {
        annotateRow(row, *early);
        m_earlyAnnotations.erase(early);
    }
}

void CaptureListModel::emitRowChanged(int row)
{
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void CaptureListModel::setPinned(qint64 id, bool pinned)
{
    const int index = rowOfId(id);
    if (index < 0)
        return;
    Row &row = m_data.rows[index];
    row.flags = pinned ? (row.flags | PinnedFlag) : (row.flags & ~PinnedFlag);
    emitRowChanged(index);
}

void CaptureListModel::setHasComment(qint64 id, bool hasComment)
{
    const int index = rowOfId(id);
    if (index < 0)
        return;
    Row &row = m_data.rows[index];
    row.flags = hasComment ? (row.flags | CommentFlag) : (row.flags & ~CommentFlag);
    emitRowChanged(index);
}

void CaptureListModel::removeIds(const QList<qint64> &ids)
{
    if (ids.isEmpty()) {
        clear();
        return;
    }
    QList<int> rows;
    for (qint64 id : ids) {
        const int index = rowOfId(id);
        if (index >= 0)
            rows.append(index);
    }
    std::sort(rows.begin(), rows.end(), std::greater<>());
    // contiguous runs, from the bottom up so earlier rows keep their numbers
    qsizetype i = 0;
    while (i < rows.size()) {
        qsizetype j = i;
        while (j + 1 < rows.size() && rows[j + 1] == rows[j] - 1)
            ++j;
        const int last = rows[i];
        const int first = rows[j];
        beginRemoveRows({}, first, last);
        for (int r = first; r <= last; ++r)
            countVerdict(m_data.rows.at(r).verdict, -1);
        m_data.rows.remove(first, last - first + 1);
        endRemoveRows();
        i = j + 1;
    }
    Q_EMIT countsChanged();
}

void CaptureListModel::clear()
{
    beginResetModel();
    m_data.rows.clear();
    m_data.paths.clear();
    m_pending.clear();
    m_earlyAnnotations.clear();
    m_failed = 0;
    m_rejected = 0;
    endResetModel();
    Q_EMIT countsChanged();
}
