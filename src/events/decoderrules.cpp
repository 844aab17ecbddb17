#include "events/decoderrules.h"

#include <algorithm>

namespace Events {

namespace {

// The field whose types a value at path must have: the first one documented with that name.
const FieldSpec *documentedField(const EventTypeSpec &event, const QString &path)
{
    const auto it = std::find_if(event.fields.cbegin(), event.fields.cend(),
                                 [&path](const FieldSpec &field) { return field.name == path; });
    return it == event.fields.cend() ? nullptr : &*it;
}

} // namespace

DecoderRules::DecoderRules(QList<ProviderProfile> profiles)
    : profiles(std::move(profiles))
{
    for (const ProviderProfile &profile : this->profiles) {
        for (const EventTypeSpec &event : profile.events)
            events.append(prepare(profile, event));
    }
}

PreparedEventType DecoderRules::prepare(const ProviderProfile &profile, const EventTypeSpec &event)
{
    PreparedEventType prepared;
    prepared.profile = &profile;
    prepared.event = &event;
    for (const DetectionRule &rule : event.detect) {
        PreparedRule preparedRule;
        preparedRule.rule = &rule;
        switch (rule.kind) {
        case DetectionRule::Kind::Header:
            for (const QString &name : rule.headers)
                preparedRule.headers.append(headerIndex(name));
            break;
        case DetectionRule::Kind::FieldValue:
            for (const QString &path : rule.fields)
                preparedRule.fields.append(fieldIndex(path));
            break;
        case DetectionRule::Kind::Shape:
            for (const QString &path : rule.required)
                preparedRule.requiredFields.append(documentedField(event, path));
            break;
        }
        for (const QString &value : rule.values)
            preparedRule.values.append(normalizedName(value));
        prepared.rules.append(std::move(preparedRule));
    }
    for (const FieldSpec &field : event.fields) {
        prepared.documentedFields.append(documentedField(event, field.name));
        prepared.expectedTypes.append(field.types.join(u'|'));
        prepared.documentedRoots.append(field.name.section(u'.', 0, 0));
    }
    if (auto summary = SummaryTemplate::parse(event.summary)) { // checked when the profile loaded
        const QList<SummaryTemplate::Placeholder> placeholders = summary->placeholders();
        prepared.summaryNamesIdentifiers = std::any_of(placeholders.cbegin(), placeholders.cend(), [](const auto &placeholder) {
            return placeholder.name == QLatin1String("$identifiers");
        });
        prepared.summary = std::move(*summary);
    }
    return prepared;
}

qsizetype DecoderRules::headerIndex(const QString &name)
{
    const QByteArray utf8 = name.toUtf8();
    const auto it = std::find_if(headerNames.cbegin(), headerNames.cend(), [&utf8](const QByteArray &known) {
        return known.compare(utf8, Qt::CaseInsensitive) == 0;
    });
    if (it != headerNames.cend())
        return it - headerNames.cbegin();
    headerNames.append(utf8);
    return headerNames.size() - 1;
}

qsizetype DecoderRules::fieldIndex(const QString &path)
{
    const qsizetype index = fieldPaths.indexOf(path);
    if (index >= 0)
        return index;
    fieldPaths.append(path);
    return fieldPaths.size() - 1;
}

} // namespace Events
