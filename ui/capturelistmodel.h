#pragma once

#include "capture/capturefilter.h"
#include "capture/store.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QThreadPool>
#include <QTimer>

#include <atomic>

#include <vector>

/// The capture list: one compact row per stored capture (about 48 bytes plus the path bytes;
/// method, endpoint and event strings are interned). data() formats only the cell asked for and
/// returns semantic roles; colours and icons are the view's business (VerdictStyle).
/// Live captures are queued and flushed by a timer with a single insert per flush.
class CaptureListModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Pinned, Time, Signature, Digest, Endpoint, Method, Path, Event, BodySize, Status, ColumnCount };
    enum Role {
        IdRole = Qt::UserRole + 1, // qint64
        VerdictRole,               // Capture::Verdict as int
        ReceivedAtRole,            // ms since the epoch
        PinnedRole,                // bool
        CommentRole,               // bool: has a comment (text loads with the capture)
        SortRole,                  // a value that sorts the column
    };

    struct Row
    {
        qint64 id = 0;
        qint64 receivedAtMs = 0;
        qint64 bodySize = 0;
        quint32 pathOffset = 0;
        quint32 pathLength = 0;
        quint16 method = 0;
        quint16 endpoint = 0;
        quint16 event = 0;
        quint16 status = 0;
        Capture::Verdict verdict = Capture::Verdict::Pending;
        quint8 digest = 0;
        quint8 signature = 0;
        quint8 flags = 0; // PinnedFlag | CommentFlag
    };
    static constexpr quint8 PinnedFlag = 1;
    static constexpr quint8 CommentFlag = 2;

    /// An immutable copy of all rows (implicitly shared, cheap to take) for work off the GUI thread.
    struct Snapshot
    {
        QList<Row> rows;
        QByteArray paths;
        QList<QByteArray> methods;
        QStringList endpoints;
        QStringList events;
        Capture::FilterRow filterRow(const Row &row) const;
        Capture::FilterRow filterRow(int index) const { return filterRow(rows.at(index)); }
    };

    explicit CaptureListModel(QObject *parent = nullptr);
    ~CaptureListModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

    const Snapshot &snapshot() const { return m_data; }
    const Row &row(int index) const { return m_data.rows.at(index); }
    qint64 idAt(int row) const { return m_data.rows.at(row).id; }
    /// The row of a capture id, or -1 (rows are in id order: binary search).
    int rowOfId(qint64 id) const;
    int pendingCount() const { return int(m_pending.size()); }
    /// Counters for the status bar.
    qint64 failedCount() const { return m_failed; }
    qint64 rejectedCount() const { return m_rejected; }

    /// Reads the store's summaries on a worker thread, oldest first, in pages of pageSize rows
    /// (one insert per page). Live captures queue meanwhile and flush once it is done.
    void loadFromStore(const QString &storePath, int pageSize = 100'000);
    bool isLoading() const { return m_loading; }
    /// Appends rows read from the store (one insert for the whole page).
    void appendSummaries(const QList<Capture::CaptureSummary> &summaries);
    /// Queues a live capture; the flush timer inserts it.
    void enqueue(const Capture::CapturePtr &capture);
    /// Inserts everything queued now (the timer calls it).
    void flushPending();
    /// Drops queued captures whose id is <= lastId (the store page loader already has them).
    void discardPendingUpTo(qint64 lastId);
    void setFlushInterval(int ms) { m_flushTimer.setInterval(ms); }
    /// While paused, live captures stay queued (still stored) and the list does not grow.
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }

    void applyAnnotations(const QList<Capture::Annotation> &annotations);
    void setPinned(qint64 id, bool pinned);
    void setHasComment(qint64 id, bool hasComment);
    void removeIds(const QList<qint64> &ids);
    void clear();

Q_SIGNALS:
    void countsChanged();
    void loadFinished(const QString &error);

private:
    Row makeRow(qint64 id, qint64 receivedAtMs, qint64 bodySize, const QByteArray &method, const QByteArray &path,
                const QString &endpoint, const QString &event, int status, Capture::Verdict verdict, quint8 digest,
                quint8 signature, bool pinned);
    void appendRows(std::vector<Row> rows);
    void annotateRow(Row &row, const Capture::Annotation &annotation);
    void takeEarlyAnnotation(Row &row);
    void countVerdict(Capture::Verdict verdict, int delta);
    QVariant display(const Row &row, int column) const;
    QVariant sortKey(const Row &row, int column) const;
    void emitRowChanged(int row);

    Snapshot m_data;
    QHash<QByteArray, quint16> m_methodIndex;
    QHash<QString, quint16> m_endpointIndex;
    QHash<QString, quint16> m_eventIndex;
    std::vector<Capture::CapturePtr> m_pending;
    QHash<qint64, Capture::Annotation> m_earlyAnnotations; // verified before their row was flushed
    QTimer m_flushTimer;
    bool m_paused = false;
    bool m_loading = false;
    std::shared_ptr<std::atomic<bool>> m_cancelLoad;
    QThreadPool m_loader;
    qint64 m_failed = 0;
    qint64 m_rejected = 0;
};
