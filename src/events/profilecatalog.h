#pragma once

#include "events/decoder.h"
#include "events/profileerror.h"
#include "events/providerprofile.h"

#include <QByteArrayView>
#include <QList>
#include <QString>

#include <expected>

namespace Events {

/// The provider profiles in use: the built-in ones (resources under ":/providers"), then the
/// user's (userFolder()). A profile replaces an earlier one with the same id, so a user can
/// override a built-in profile. Errors name the file and the problem; good files still load.
class ProfileCatalog final
{
public:
    static QString builtinFolder();          // ":/providers"
    static QString userFolder();             // QStandardPaths::AppConfigLocation + "/providers"

    /// Built-in profiles, then userFolder(); problems with any file go to errors.
    static ProfileCatalog standard(QList<ProfileError> *errors = nullptr);

    /// Every *.json in folder, by file name. Returns the problems of the files that failed.
    QList<ProfileError> loadFolder(const QString &folder);
    std::expected<ProviderProfile, ProfileError> loadFile(const QString &path);
    std::expected<ProviderProfile, ProfileError> addProfile(QByteArrayView json, const QString &source);

    /// For "Add profile…" in the GUI: checks the file, copies it into folder (created when
    /// needed, an existing file of that name replaced) and loads it. Returns the copy's path.
    std::expected<QString, ProfileError> installFile(const QString &path, const QString &folder = userFolder());

    const QList<ProviderProfile> &profiles() const { return m_profiles; }
    const ProviderProfile *profile(QStringView id) const;
    Decoder decoder() const { return Decoder(m_profiles); }

private:
    void insert(ProviderProfile profile);

    QList<ProviderProfile> m_profiles;
};

} // namespace Events
