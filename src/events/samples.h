#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <expected>

namespace Events {

// Example payloads, one per event type of the built-in provider, compiled in under ":/samples"
// as NAME.example.json (resources/samples/README.md says which are illustrations only).

/// The sample names, sorted: "conversation-ended", "coupon-charged", ...
QStringList sampleNames();

/// The sample for an event type, named by slug or provider name ("coupon-creation",
/// "Coupon Creation", "COUPON_CREATION"); fails with a sentence listing the known names.
std::expected<QByteArray, QString> samplePayload(const QString &eventName);

} // namespace Events
