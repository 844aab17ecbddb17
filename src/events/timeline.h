#pragma once

#include "events/decodedevent.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

#include <memory>
#include <vector>

namespace Events {

/// Decoded events grouped by entity (one coupon, one conversation) in arrival order, with the
/// anomalies the profiles' lifecycle rules reveal: retried deliveries, event times going
/// backwards, steps before their predecessors or after a step that ends them, steps repeated.
/// Feed it captures as they arrive; events that matched no event type are ignored.
class Timeline final
{
public:
    struct Entry
    {
        qint64 captureId = 0;
        QDateTime arrivedAt;
        QString eventType;
        QString summary;
        QDateTime eventTime; // the payload's own time; invalid when it has none
        QString eventId;
        QByteArray bodySha256;
        LifecycleRule lifecycle;
    };

    struct Anomaly
    {
        // Stable codes: duplicate-delivery, timestamp-out-of-order, step-out-of-order,
        // forbidden-after, repeated-step.
        QString code;
        QString sentence;
        QList<qint64> captureIds; // the earlier capture(s) first, the one that revealed it last
        QString entity;
        QString entityId;

        bool operator==(const Anomaly &other) const = default;
    };

    struct Group
    {
        QString entity;   // "coupon"
        QString entityId; // empty when the payload carried none
        QList<Entry> entries; // arrival order
        QList<Anomaly> anomalies;

        /// The entries by their own event time (arrival time for those without one).
        QList<Entry> byEventTime() const;
    };

    /// What the timeline keeps, so that a long-running listener stays small: the newest entries
    /// and anomalies of each group, and the most recently active groups.
    struct Limits
    {
        qsizetype entriesPerGroup = 256;
        qsizetype anomaliesPerGroup = 256;
        qsizetype groups = 20000;
    };

    Timeline();
    explicit Timeline(Limits limits);
    ~Timeline();
    Timeline(Timeline &&) noexcept;
    Timeline &operator=(Timeline &&) noexcept;

    /// Adds one capture; returns the anomalies it revealed (none when it matched no event type).
    /// Captures may come out of arrival order (e.g. loaded from a store): the group is then
    /// re-examined in arrival order.
    QList<Anomaly> add(qint64 captureId, const QDateTime &arrivedAt, const DecodedEvent &event);

    const QList<Group> &groups() const { return m_groups; }
    const Group *group(const QString &entity, const QString &entityId) const;
    const Group *groupOf(qint64 captureId) const;
    QList<Anomaly> anomalies() const;
    QList<Anomaly> anomaliesFor(qint64 captureId) const;
    void clear();

private:
    class GroupState;
    void trim(qsizetype index);
    void evictGroups();
    void reindex();

    Limits m_limits;
    quint64 m_tick = 0;
    QList<quint64> m_lastUsed; // parallel to m_groups
    QList<Group> m_groups;
    std::vector<std::unique_ptr<GroupState>> m_states; // parallel to m_groups
    QHash<QString, qsizetype> m_groupIndex;    // entity + '\n' + entityId -> index in m_groups
    QHash<qint64, qsizetype> m_groupOfCapture; // capture id -> index in m_groups
};

} // namespace Events
