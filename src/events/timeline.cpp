#include "events/timeline.h"

#include "events/summarytemplate.h"

#include <algorithm>
#include <memory>

namespace Events {

// What a group has seen so far, walking its entries in arrival order.
class Timeline::GroupState final
{
public:
    /// Walks one more entry; what it reveals is added to group's anomalies unless quiet (when the
    /// state is rebuilt from entries already reported, their sentences would be thrown away).
    void feed(Timeline::Group &group, const Timeline::Entry &entry, bool quiet = false)
    {
        m_group = &group;
        m_quiet = quiet;
        if (isRetry(entry))
            return;
        checkTime(entry);
        checkLifecycle(entry);
        m_bodies.insert(entry.bodySha256, entry.captureId);
        if (!entry.eventId.isEmpty())
            m_eventIds.insert(entry.eventId, entry.captureId);
        const QString type = normalizedName(entry.eventType);
        if (!m_firstOfType.contains(type)) {
            m_firstOfType.insert(type, entry.captureId);
            m_firstEntries.append(entry);
        }
    }

private:
    // The sentence is written only when reported.
    template <typename Sentence>
    void report(const QString &code, Sentence sentence, QList<qint64> captureIds)
    {
        if (!m_quiet)
            m_group->anomalies.append(Timeline::Anomaly{code, sentence(), std::move(captureIds), m_group->entity, m_group->entityId});
    }

    QString entityText() const
    {
        return m_group->entity + u' ' + (m_group->entityId.isEmpty() ? QStringLiteral("(no id)") : m_group->entityId);
    }

    QString sentence(const QString &profileText, const QString &fallback, const QString &event, const QString &other) const
    {
        // Profile sentences were checked when the profile loaded; the fallbacks are ours.
        const auto parsed = SummaryTemplate::parse(profileText.isEmpty() ? fallback : profileText);
        const QHash<QString, QJsonValue> values{{QStringLiteral("entity"), m_group->entity},
                                                {QStringLiteral("entityId"), m_group->entityId.isEmpty() ? QStringLiteral("(no id)") : m_group->entityId},
                                                {QStringLiteral("event"), event},
                                                {QStringLiteral("other"), other}};
        return parsed ? parsed->render(QJsonObject(), values) : fallback;
    }

    bool isRetry(const Timeline::Entry &entry)
    {
        if (const auto it = m_bodies.constFind(entry.bodySha256); it != m_bodies.constEnd()) {
            report(QStringLiteral("duplicate-delivery"), [&] {
                return QStringLiteral("Capture %1 repeats capture %2 byte for byte: the same %3 delivered again (a retry).")
                    .arg(entry.captureId).arg(*it).arg(entry.eventType);
            }, {*it, entry.captureId});
            return true;
        }
        if (const auto it = m_eventIds.constFind(entry.eventId); !entry.eventId.isEmpty() && it != m_eventIds.constEnd()) {
            report(QStringLiteral("duplicate-delivery"), [&] {
                return QStringLiteral("Capture %1 carries the event id \"%2\" of capture %3: the same %4 delivered again (a retry).")
                    .arg(entry.captureId).arg(entry.eventId).arg(*it).arg(entry.eventType);
            }, {*it, entry.captureId});
            return true;
        }
        return false;
    }

    void checkTime(const Timeline::Entry &entry)
    {
        if (!entry.eventTime.isValid())
            return;
        if (m_latestTime.isValid() && entry.eventTime < m_latestTime) {
            report(QStringLiteral("timestamp-out-of-order"), [&] {
                return QStringLiteral("%1 for %2 (capture %3) is dated %4, before the event of capture %5 (%6) that arrived earlier.")
                    .arg(entry.eventType, entityText())
                    .arg(entry.captureId)
                    .arg(entry.eventTime.toString(Qt::ISODateWithMs))
                    .arg(m_latestCapture)
                    .arg(m_latestTime.toString(Qt::ISODateWithMs));
            }, {m_latestCapture, entry.captureId});
            return;
        }
        m_latestTime = entry.eventTime;
        m_latestCapture = entry.captureId;
    }

    void checkLifecycle(const Timeline::Entry &entry)
    {
        const QString type = normalizedName(entry.eventType);
        if (const auto it = m_firstOfType.constFind(type); it != m_firstOfType.constEnd()) {
            if (entry.lifecycle.once) {
                report(QStringLiteral("repeated-step"), [&] {
                    return sentence(entry.lifecycle.onceSentence, QStringLiteral("{$event} happened twice for {$entity} {$entityId}."),
                                    entry.eventType, entry.eventType);
                }, {*it, entry.captureId});
            }
        } else {
            // The first of its type: did a step that should follow it arrive already?
            for (const Timeline::Entry &earlier : std::as_const(m_firstEntries)) {
                const bool follows = std::any_of(earlier.lifecycle.after.cbegin(), earlier.lifecycle.after.cend(),
                                                 [&](const QString &name) { return normalizedName(name) == type; });
                if (follows) {
                    report(QStringLiteral("step-out-of-order"), [&] {
                        return QStringLiteral("%1 for %2 (capture %3) arrived after %4 (capture %5), which should come after it.")
                            .arg(entry.eventType, entityText())
                            .arg(entry.captureId)
                            .arg(earlier.eventType)
                            .arg(earlier.captureId);
                    }, {earlier.captureId, entry.captureId});
                }
            }
        }
        for (const QString &name : entry.lifecycle.notAfter) {
            if (const auto it = m_firstOfType.constFind(normalizedName(name)); it != m_firstOfType.constEnd()) {
                report(QStringLiteral("forbidden-after"), [&] {
                    return sentence(entry.lifecycle.notAfterSentence, QStringLiteral("{$event} for {$entity} {$entityId} arrived after {$other}."),
                                    entry.eventType, name);
                }, {*it, entry.captureId});
            }
        }
    }

    Timeline::Group *m_group = nullptr;
    bool m_quiet = false;
    QHash<QByteArray, qint64> m_bodies;
    QHash<QString, qint64> m_eventIds;
    QHash<QString, qint64> m_firstOfType;
    QList<Timeline::Entry> m_firstEntries;
    QDateTime m_latestTime;
    qint64 m_latestCapture = 0;
};

QList<Timeline::Entry> Timeline::Group::byEventTime() const
{
    QList<Entry> sorted = entries;
    std::stable_sort(sorted.begin(), sorted.end(), [](const Entry &a, const Entry &b) {
        return (a.eventTime.isValid() ? a.eventTime : a.arrivedAt) < (b.eventTime.isValid() ? b.eventTime : b.arrivedAt);
    });
    return sorted;
}

QList<Timeline::Anomaly> Timeline::add(qint64 captureId, const QDateTime &arrivedAt, const DecodedEvent &event)
{
    if (!event.isRecognized())
        return {};
    const QString key = event.entity + u'\n' + event.entityId;
    qsizetype index = m_groupIndex.value(key, -1);
    if (index < 0) {
        if (m_groups.size() >= m_limits.groups)
            evictGroups();
        index = m_groups.size();
        m_groups.append(Group{event.entity, event.entityId, {}, {}});
        m_states.push_back(std::make_unique<GroupState>());
        m_lastUsed.append(0);
        m_groupIndex.insert(key, index);
    }
    m_lastUsed[index] = ++m_tick;
    m_groupOfCapture.insert(captureId, index);
    Group &group = m_groups[index];
    GroupState &state = *m_states[index];
    const Entry entry{captureId, arrivedAt, event.eventType, event.summary, event.eventTime,
                      event.eventId, event.bodySha256, event.lifecycle};
    QList<Anomaly> revealed;
    if (group.entries.isEmpty() || !(arrivedAt < group.entries.constLast().arrivedAt)) {
        const qsizetype before = group.anomalies.size();
        group.entries.append(entry);
        state.feed(group, entry);
        revealed = group.anomalies.mid(before);
    } else {
        // An earlier arrival: walk the group again in arrival order. What it revealed are the
        // anomalies it takes part in.
        const auto position = std::upper_bound(group.entries.begin(), group.entries.end(), arrivedAt,
                                               [](const QDateTime &time, const Entry &e) { return time < e.arrivedAt; });
        group.entries.insert(position, entry);
        group.anomalies.clear();
        state = GroupState();
        for (const Entry &existing : std::as_const(group.entries))
            state.feed(group, existing);
        for (const Anomaly &anomaly : std::as_const(group.anomalies)) {
            if (anomaly.captureIds.contains(captureId))
                revealed.append(anomaly);
        }
    }
    trim(index);
    return revealed;
}

void Timeline::trim(qsizetype index)
{
    Group &group = m_groups[index];
    if (group.anomalies.size() > m_limits.anomaliesPerGroup)
        group.anomalies.remove(0, group.anomalies.size() - m_limits.anomaliesPerGroup);
    // Trimmed in steps of a quarter, so the state is rebuilt rarely.
    if (group.entries.size() <= m_limits.entriesPerGroup + qMax<qsizetype>(1, m_limits.entriesPerGroup / 4))
        return;
    const qsizetype drop = group.entries.size() - m_limits.entriesPerGroup;
    for (qsizetype i = 0; i < drop; ++i)
        m_groupOfCapture.remove(group.entries.at(i).captureId);
    group.entries.remove(0, drop);
    // What the group remembers (bodies, event ids, steps seen) now comes from what it kept;
    // the anomalies already reported stay as they were.
    Group scratch{group.entity, group.entityId, {}, {}};
    auto state = std::make_unique<GroupState>();
    for (const Entry &kept : std::as_const(group.entries))
        state->feed(scratch, kept, true);
    m_states[index] = std::move(state);
}

void Timeline::evictGroups()
{
    // Forget the least recently active tenth of the groups.
    QList<quint64> ticks = m_lastUsed;
    const qsizetype evict = qMax<qsizetype>(1, m_groups.size() / 10);
    std::nth_element(ticks.begin(), ticks.begin() + (evict - 1), ticks.end());
    const quint64 threshold = ticks.at(evict - 1);
    QList<Group> groups;
    std::vector<std::unique_ptr<GroupState>> states;
    QList<quint64> lastUsed;
    for (qsizetype i = 0; i < m_groups.size(); ++i) {
        if (m_lastUsed.at(i) <= threshold)
            continue;
        groups.append(std::move(m_groups[i]));
        states.push_back(std::move(m_states[i]));
        lastUsed.append(m_lastUsed.at(i));
    }
    m_groups = std::move(groups);
    m_states = std::move(states);
    m_lastUsed = std::move(lastUsed);
    reindex();
}

void Timeline::reindex()
{
    m_groupIndex.clear();
    m_groupOfCapture.clear();
    for (qsizetype i = 0; i < m_groups.size(); ++i) {
        const Group &group = m_groups.at(i);
        m_groupIndex.insert(group.entity + u'\n' + group.entityId, i);
        for (const Entry &entry : group.entries)
            m_groupOfCapture.insert(entry.captureId, i);
    }
}

const Timeline::Group *Timeline::group(const QString &entity, const QString &entityId) const
{
    const qsizetype index = m_groupIndex.value(entity + u'\n' + entityId, -1);
    return index < 0 ? nullptr : &m_groups.at(index);
}

const Timeline::Group *Timeline::groupOf(qint64 captureId) const
{
    const qsizetype index = m_groupOfCapture.value(captureId, -1);
    return index < 0 ? nullptr : &m_groups.at(index);
}

QList<Timeline::Anomaly> Timeline::anomalies() const
{
    QList<Anomaly> all;
    for (const Group &group : m_groups)
        all += group.anomalies;
    return all;
}

QList<Timeline::Anomaly> Timeline::anomaliesFor(qint64 captureId) const
{
    QList<Anomaly> result;
    if (const Group *owner = groupOf(captureId)) {
        for (const Anomaly &anomaly : owner->anomalies) {
            if (anomaly.captureIds.contains(captureId))
                result.append(anomaly);
        }
    }
    return result;
}

Timeline::Timeline() = default;
Timeline::Timeline(Limits limits)
    : m_limits(limits)
{
}
Timeline::~Timeline() = default;
Timeline::Timeline(Timeline &&) noexcept = default;
Timeline &Timeline::operator=(Timeline &&) noexcept = default;

void Timeline::clear()
{
    m_groups.clear();
    m_states.clear();
    m_lastUsed.clear();
    m_groupIndex.clear();
    m_groupOfCapture.clear();
}

} // namespace Events
