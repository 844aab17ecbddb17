#include "capturefilterproxy.h"

#include <QPointer>

#include <algorithm>
#include <numeric>

struct CaptureFilterProxy::Result
{
    std::vector<int> rows;
    int evaluatedTo = 0;
    QString error;
};

namespace {

using Row = CaptureListModel::Row;
using Snapshot = CaptureListModel::Snapshot;

template<typename Pool>
std::vector<int> ranks(const Pool &pool)
{
    std::vector<int> order(size_t(pool.size()));
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) {
        if constexpr (std::is_same_v<Pool, QStringList>)
            return pool.at(a).compare(pool.at(b), Qt::CaseInsensitive) < 0;
        else
            return pool.at(a) < pool.at(b);
    });
    std::vector<int> rank(order.size());
    for (size_t i = 0; i < order.size(); ++i)
        rank[size_t(order[i])] = int(i);
    return rank;
}

void sortRows(const Snapshot &s, std::vector<int> &rows, int column, Qt::SortOrder order)
{
    const auto sortBy = [&](auto key) {
        if (order == Qt::AscendingOrder)
            std::stable_sort(rows.begin(), rows.end(), [&](int a, int b) { return key(s.rows.at(a)) < key(s.rows.at(b)); });
        else
            std::stable_sort(rows.begin(), rows.end(), [&](int a, int b) { return key(s.rows.at(b)) < key(s.rows.at(a)); });
    };
    switch (column) {
    case CaptureListModel::Pinned: sortBy([](const Row &r) { return (r.flags & CaptureListModel::PinnedFlag) != 0; }); break;
    case CaptureListModel::BodySize: sortBy([](const Row &r) { return r.bodySize; }); break;
    case CaptureListModel::Status: sortBy([](const Row &r) { return r.status; }); break;
    case CaptureListModel::Digest: sortBy([](const Row &r) { return r.digest; }); break;
    case CaptureListModel::Signature: sortBy([](const Row &r) { return int(r.verdict) * 16 + r.signature; }); break;
    case CaptureListModel::Method: {
        const auto rank = ranks(s.methods);
        sortBy([&](const Row &r) { return rank[r.method]; });
        break;
    }
    case CaptureListModel::Endpoint: {
        const auto rank = ranks(s.endpoints);
        sortBy([&](const Row &r) { return rank[r.endpoint]; });
        break;
    }
    case CaptureListModel::Event: {
        const auto rank = ranks(s.events);
        sortBy([&](const Row &r) { return rank[r.event]; });
        break;
    }
    case CaptureListModel::Path:
        sortBy([&](const Row &r) { return QByteArrayView(s.paths.constData() + r.pathOffset, r.pathLength); });
        break;
    default: // time: rows are in id (arrival) order already
        sortBy([](const Row &r) { return r.id; });
        break;
    }
}

} // namespace

CaptureFilterProxy::CaptureFilterProxy(QObject *parent)
    : QAbstractProxyModel(parent)
{
    m_pool.setMaxThreadCount(2);
    m_rerunTimer.setSingleShot(true);
    m_rerunTimer.setInterval(500);
    connect(&m_rerunTimer, &QTimer::timeout, this, [this] {
        if (m_jobRunning)
            m_rerunWanted = true;
        else
            startJob();
    });
}

CaptureFilterProxy::~CaptureFilterProxy()
{
    m_pool.waitForDone(); // results are posted to this object: none may arrive after it is gone
}

void CaptureFilterProxy::setSourceModel(QAbstractItemModel *source)
{
    beginResetModel();
    if (m_source)
        disconnect(m_source, nullptr, this, nullptr);
    QAbstractProxyModel::setSourceModel(source);
    m_source = qobject_cast<CaptureListModel *>(source);
    ++m_generation;
    m_rows.clear();
    m_inverse.clear();
    m_evaluated = 0;
    if (m_source) {
        connect(m_source, &QAbstractItemModel::rowsInserted, this, &CaptureFilterProxy::sourceRowsInserted);
        connect(m_source, &QAbstractItemModel::rowsAboutToBeRemoved, this, &CaptureFilterProxy::sourceRowsAboutToBeRemoved);
        connect(m_source, &QAbstractItemModel::rowsRemoved, this, &CaptureFilterProxy::sourceRowsRemoved);
        connect(m_source, &QAbstractItemModel::dataChanged, this, &CaptureFilterProxy::sourceDataChanged);
        connect(m_source, &QAbstractItemModel::modelAboutToBeReset, this, [this] { beginResetModel(); });
        connect(m_source, &QAbstractItemModel::modelReset, this, &CaptureFilterProxy::sourceReset);
        if (m_filter.isEmpty() && !isSorted()) {
            m_rows.resize(size_t(m_source->rowCount()));
            std::iota(m_rows.begin(), m_rows.end(), 0);
            m_evaluated = m_source->rowCount();
        }
    }
    endResetModel();
    if (m_source && m_evaluated < m_source->rowCount())
        startJob();
}

void CaptureFilterProxy::setFilter(const Capture::CaptureFilter &filter)
{
    m_filter = filter;
    startJob();
}

void CaptureFilterProxy::sort(int column, Qt::SortOrder order)
{
    m_sortColumn = column;
    m_sortOrder = order;
    startJob();
}

QModelIndex CaptureFilterProxy::index(int row, int column, const QModelIndex &parent) const
{
    if (parent.isValid() || row < 0 || column < 0 || row >= rowCount() || column >= columnCount())
        return {};
    return createIndex(row, column);
}

QModelIndex CaptureFilterProxy::parent(const QModelIndex &) const
{
    return {};
}

int CaptureFilterProxy::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CaptureFilterProxy::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_source ? 0 : m_source->columnCount();
}

bool CaptureFilterProxy::hasChildren(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_rows.empty();
}

QModelIndex CaptureFilterProxy::mapToSource(const QModelIndex &proxyIndex) const
{
    if (!m_source || !proxyIndex.isValid() || proxyIndex.row() >= int(m_rows.size()))
        return {};
    return m_source->index(m_rows[size_t(proxyIndex.row())], proxyIndex.column());
}

QModelIndex CaptureFilterProxy::mapFromSource(const QModelIndex &sourceIndex) const
{
    if (!sourceIndex.isValid())
        return {};
    const int sourceRow = sourceIndex.row();
    int row = -1;
    if (isSorted()) {
        if (sourceRow < int(m_inverse.size()))
            row = m_inverse[size_t(sourceRow)];
    } else {
        const auto it = std::lower_bound(m_rows.begin(), m_rows.end(), sourceRow);
        if (it != m_rows.end() && *it == sourceRow)
            row = int(it - m_rows.begin());
    }
    return row < 0 ? QModelIndex() : createIndex(row, sourceIndex.column());
}

int CaptureFilterProxy::rowOfId(qint64 id) const
{
    if (!m_source)
        return -1;
    const int sourceRow = m_source->rowOfId(id);
    return sourceRow < 0 ? -1 : mapFromSource(m_source->index(sourceRow, 0)).row();
}

namespace {

std::shared_ptr<CaptureFilterProxy::Result> compute(const Snapshot &snapshot, Capture::CaptureFilter filter,
                                                    const QString &storePath, int from, int to, int sortColumn,
                                                    Qt::SortOrder order, bool sorted)
{
    auto result = std::make_shared<CaptureFilterProxy::Result>();
    result->evaluatedTo = to;
    if (filter.needsStore() && from < to) {
        const auto resolved = filter.resolveStoreTerms(storePath, snapshot.rows.at(from).id);
        if (!resolved) {
            result->error = resolved.error();
            return result;
        }
    }
    result->rows.reserve(size_t(to - from));
    for (int i = from; i < to; ++i) {
        if (filter.isEmpty() || filter.matches(snapshot.filterRow(i)))
            result->rows.push_back(i);
    }
    if (sorted)
        sortRows(snapshot, result->rows, sortColumn, order);
    return result;
}

} // namespace

void CaptureFilterProxy::setBusy(bool busy)
{
    if (m_jobRunning == busy)
        return;
    m_jobRunning = busy;
    Q_EMIT busyChanged(busy);
}

void CaptureFilterProxy::startJob()
{
    if (!m_source)
        return;
    const quint64 generation = ++m_generation;
    m_rerunWanted = false;
    m_jobClock.start();
    setBusy(true);
    QPointer<CaptureFilterProxy> self(this);
    m_pool.start([self, generation, snapshot = m_source->snapshot(), filter = m_filter, path = m_storePath,
                  column = m_sortColumn, order = m_sortOrder, sorted = isSorted(), rows = m_source->rowCount()] {
        auto result = compute(snapshot, filter, path, 0, rows, column, order, sorted);
        // The destructor waits for the pool, so self is alive while this runs.
        QMetaObject::invokeMethod(self.data(), [self, generation, result] {
            if (self)
                self->finishJob(generation, result);
        }, Qt::QueuedConnection);
    });
}

void CaptureFilterProxy::finishJob(quint64 generation, std::shared_ptr<Result> result)
{
    if (generation != m_generation)
        return; // a newer filter, sort or removal superseded this job
    setBusy(false);
    if (!result->error.isEmpty()) {
        Q_EMIT filterFailed(result->error);
        return;
    }
    swapRows(std::move(result->rows));
    m_evaluated = result->evaluatedTo;
    Q_EMIT filterApplied(rowCount(), m_jobClock.elapsed());
    evaluateTail();
    if (m_rerunWanted)
        m_rerunTimer.start();
}

void CaptureFilterProxy::rebuildInverse()
{
    m_inverse.clear();
    if (!isSorted() || !m_source)
        return;
    m_inverse.assign(size_t(m_source->rowCount()), -1);
    for (size_t i = 0; i < m_rows.size(); ++i)
        m_inverse[size_t(m_rows[i])] = int(i);
}

int CaptureFilterProxy::proxyRowOfSource(int sourceRow) const
{
    return sourceRow < 0 || !m_source ? -1 : mapFromSource(m_source->index(sourceRow, 0)).row();
}

void CaptureFilterProxy::swapRows(std::vector<int> rows)
{
    Q_EMIT layoutAboutToBeChanged();
    const QModelIndexList from = persistentIndexList();
    std::vector<int> sources;
    sources.reserve(size_t(from.size()));
    for (const QModelIndex &index : from)
        sources.push_back(index.row() < int(m_rows.size()) ? m_rows[size_t(index.row())] : -1);
    m_rows = std::move(rows);
    rebuildInverse();
    QModelIndexList to;
    to.reserve(from.size());
    for (qsizetype i = 0; i < from.size(); ++i) {
        const int row = proxyRowOfSource(sources[size_t(i)]);
        to.append(row < 0 ? QModelIndex() : createIndex(row, from[i].column()));
    }
    changePersistentIndexList(from, to);
    Q_EMIT layoutChanged();
}

void CaptureFilterProxy::insertMatches(const std::vector<int> &sourceRows)
{
    if (sourceRows.empty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(sourceRows.size()) - 1);
    m_rows.insert(m_rows.end(), sourceRows.begin(), sourceRows.end());
    if (isSorted()) {
        for (size_t i = 0; i < sourceRows.size(); ++i)
            m_inverse[size_t(sourceRows[i])] = first + int(i);
    }
    endInsertRows();
    if (isSorted())
        m_rerunTimer.start(); // new rows sit at the end until the next sort
}

void CaptureFilterProxy::evaluateTail()
{
    if (!m_source || m_jobRunning || m_tailRunning)
        return;
    const int count = m_source->rowCount();
    if (m_evaluated >= count)
        return;
    const int from = m_evaluated;
    if (!m_filter.needsStore()) {
        std::vector<int> matches;
        const Snapshot &snapshot = m_source->snapshot();
        for (int i = from; i < count; ++i) {
            if (m_filter.isEmpty() || m_filter.matches(snapshot.filterRow(i)))
                matches.push_back(i);
        }
        m_evaluated = count;
        insertMatches(matches);
        return;
    }
    // Store terms need SQL: evaluate the new rows on the pool, then insert them in one go.
    m_tailRunning = true;
    const quint64 generation = m_generation;
    QPointer<CaptureFilterProxy> self(this);
    m_pool.start([self, generation, snapshot = m_source->snapshot(), filter = m_filter, path = m_storePath, from, count] {
        auto result = compute(snapshot, filter, path, from, count, 0, Qt::AscendingOrder, false);
        QMetaObject::invokeMethod(self.data(), [self, generation, result] {
            if (!self)
                return;
            self->m_tailRunning = false;
            if (generation == self->m_generation && result->error.isEmpty()) {
                self->m_evaluated = result->evaluatedTo;
                self->insertMatches(result->rows);
            }
            self->evaluateTail();
        }, Qt::QueuedConnection);
    });
}

void CaptureFilterProxy::sourceRowsInserted(const QModelIndex &parent, int, int)
{
    if (parent.isValid())
        return;
    if (isSorted())
        m_inverse.resize(size_t(m_source->rowCount()), -1);
    evaluateTail();
}

void CaptureFilterProxy::sourceRowsAboutToBeRemoved(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid())
        return;
    ++m_generation; // jobs in flight hold stale row numbers
    if (isSorted()) {
        Q_EMIT layoutAboutToBeChanged();
        m_layoutFrom = persistentIndexList();
        m_layoutSources.clear();
        for (const QModelIndex &index : std::as_const(m_layoutFrom))
            m_layoutSources.push_back(m_rows[size_t(index.row())]);
        return;
    }
    m_removeFirst = int(std::lower_bound(m_rows.begin(), m_rows.end(), first) - m_rows.begin());
    m_removeLast = int(std::upper_bound(m_rows.begin(), m_rows.end(), last) - m_rows.begin());
    if (m_removeFirst < m_removeLast)
        beginRemoveRows({}, m_removeFirst, m_removeLast - 1);
}

void CaptureFilterProxy::sourceRowsRemoved(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid())
        return;
    const int count = last - first + 1;
    const auto shift = [&](int row) { return row > last ? row - count : row; };
    if (isSorted()) {
        std::erase_if(m_rows, [&](int row) { return row >= first && row <= last; });
        for (int &row : m_rows)
            row = shift(row);
        rebuildInverse();
        QModelIndexList to;
        for (qsizetype i = 0; i < m_layoutFrom.size(); ++i) {
            const int source = m_layoutSources[size_t(i)];
            const int row = source >= first && source <= last ? -1 : proxyRowOfSource(shift(source));
            to.append(row < 0 ? QModelIndex() : createIndex(row, m_layoutFrom[i].column()));
        }
        changePersistentIndexList(m_layoutFrom, to);
        m_layoutFrom.clear();
        Q_EMIT layoutChanged();
    } else {
        m_rows.erase(m_rows.begin() + m_removeFirst, m_rows.begin() + m_removeLast);
        for (auto it = m_rows.begin() + m_removeFirst; it != m_rows.end(); ++it)
            *it = shift(*it);
        if (m_removeFirst < m_removeLast)
            endRemoveRows();
    }
    if (m_evaluated > last)
        m_evaluated -= count;
    else if (m_evaluated > first)
        m_evaluated = first;
    if (m_jobRunning)
        startJob(); // the superseded job would have answered with stale rows
}

void CaptureFilterProxy::sourceDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles)
{
    const int lastColumn = columnCount() - 1;
    if (!isSorted()) {
        const auto lo = std::lower_bound(m_rows.begin(), m_rows.end(), topLeft.row());
        const auto hi = std::upper_bound(lo, m_rows.end(), bottomRight.row());
        if (lo != hi)
            Q_EMIT dataChanged(index(int(lo - m_rows.begin()), 0), index(int(hi - m_rows.begin()) - 1, lastColumn), roles);
    } else {
        for (int row = topLeft.row(); row <= bottomRight.row(); ++row) {
            const int proxyRow = proxyRowOfSource(row);
            if (proxyRow >= 0)
                Q_EMIT dataChanged(index(proxyRow, 0), index(proxyRow, lastColumn), roles);
        }
    }
    if (m_filter.isEmpty() && !isSorted())
        return;
    if (m_filter.needsStore() || isSorted() || m_jobRunning) {
        // a verdict or problem code may move rows in or out: refilter soon, off the GUI thread
        if (!m_rerunTimer.isActive())
            m_rerunTimer.start();
        return;
    }
    const Snapshot &snapshot = m_source->snapshot();
    for (int row = topLeft.row(); row <= bottomRight.row() && row < m_evaluated; ++row) {
        const bool wanted = m_filter.matches(snapshot.filterRow(row));
        const auto it = std::lower_bound(m_rows.begin(), m_rows.end(), row);
        const bool shown = it != m_rows.end() && *it == row;
        const int position = int(it - m_rows.begin());
        if (wanted && !shown) {
            beginInsertRows({}, position, position);
            m_rows.insert(it, row);
            endInsertRows();
        } else if (!wanted && shown) {
            beginRemoveRows({}, position, position);
            m_rows.erase(it);
            endRemoveRows();
        }
    }
}

void CaptureFilterProxy::sourceReset()
{
    ++m_generation;
    m_rows.clear();
    m_inverse.clear();
    m_evaluated = 0;
    setBusy(false);
    endResetModel();
    evaluateTail();
}
