#pragma once

#include "events/profileerror.h"
#include "events/providerprofile.h"

#include <QByteArrayView>
#include <QString>

#include <expected>

namespace Events {

/// Reads a provider profile from its JSON form (docs/provider-profiles.md) and checks it:
/// members and their types, rule kinds, field types, template placeholders, lifecycle references.
class ProfileParser final
{
public:
    /// file names the source in errors (a path, or ":/providers/x.json").
    static std::expected<ProviderProfile, ProfileError> parse(QByteArrayView json, const QString &file);
};

} // namespace Events
