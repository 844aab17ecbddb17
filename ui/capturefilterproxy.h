#pragma once

#include "capture/capturefilter.h"
#include "capturelistmodel.h"

#include <QAbstractProxyModel>
#include <QElapsedTimer>
#include <QThreadPool>
#include <QTimer>

#include <vector>

/// Filters and sorts the capture list without QSortFilterProxyModel: a vector of visible source
/// rows computed off the GUI thread (a snapshot of the compact rows plus, for header/body/problem
/// terms, SQL on the store) and swapped in with layoutChanged, persistent indexes (selection,
/// current) carried over by source row, so by capture id. New rows are filtered incrementally.
class CaptureFilterProxy final : public QAbstractProxyModel
{
    Q_OBJECT
public:
    /// What a filter job hands back to the GUI thread.
    struct Result;

    explicit CaptureFilterProxy(QObject *parent = nullptr);
    ~CaptureFilterProxy() override;

    void setSourceModel(QAbstractItemModel *source) override;
    /// Needed by filters with header/body/problem terms.
    void setStorePath(const QString &path) { m_storePath = path; }
    void setFilter(const Capture::CaptureFilter &filter);
    const Capture::CaptureFilter &filter() const { return m_filter; }
    bool isBusy() const { return m_jobRunning; }

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QModelIndex mapToSource(const QModelIndex &proxyIndex) const override;
    QModelIndex mapFromSource(const QModelIndex &sourceIndex) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    /// The proxy row of a capture id, or -1.
    int rowOfId(qint64 id) const;

Q_SIGNALS:
    void busyChanged(bool busy);
    /// A filter or sort finished: how many rows are visible and how long it took.
    void filterApplied(int visibleRows, qint64 elapsedMs);
    void filterFailed(const QString &error);

private:
    bool isSorted() const { return !(m_sortColumn == CaptureListModel::Time && m_sortOrder == Qt::AscendingOrder) && m_sortColumn >= 0; }
    void startJob();
    void finishJob(quint64 generation, std::shared_ptr<Result> result);
    void evaluateTail();
    void insertMatches(const std::vector<int> &sourceRows);
    void sourceRowsInserted(const QModelIndex &parent, int first, int last);
    void sourceRowsAboutToBeRemoved(const QModelIndex &parent, int first, int last);
    void sourceRowsRemoved(const QModelIndex &parent, int first, int last);
    void sourceDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles);
    void sourceReset();
    void rebuildInverse();
    void swapRows(std::vector<int> rows);
    int proxyRowOfSource(int sourceRow) const;
    void setBusy(bool busy);

    CaptureListModel *m_source = nullptr;
    QString m_storePath;
    Capture::CaptureFilter m_filter;
    std::vector<int> m_rows;    // visible source rows in display order
    std::vector<int> m_inverse; // source row -> proxy row (-1 hidden); kept only while sorted
    int m_evaluated = 0;        // source rows [0, m_evaluated) have been considered
    int m_sortColumn = CaptureListModel::Time;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    quint64 m_generation = 0;
    bool m_jobRunning = false;
    bool m_tailRunning = false;
    bool m_rerunWanted = false;
    QTimer m_rerunTimer;
    QThreadPool m_pool;
    QModelIndexList m_layoutFrom;      // sorted-mode removal: persistent indexes being moved
    std::vector<int> m_layoutSources;  // ... and the source row each pointed at
    QElapsedTimer m_jobClock;
    int m_removeFirst = -1; // unsorted removal under way: proxy rows [first, last)
    int m_removeLast = -1;
};
