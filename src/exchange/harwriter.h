#pragma once

#include "capture/storereader.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>

namespace Exchange {

/// Builds a HAR 1.2 document (http://www.softwareishard.com/blog/har-12-spec/) from stored
/// captures, for `export --format har`. Requests are as received: headers in order with their
/// case and duplicates; bodies that are not UTF-8 are written base64 with "encoding": "base64"
/// in postData (the HAR 1.2 `content.encoding` convention, which Chrome and Firefox also apply
/// to postData). Header values and the URL map bytes to U+0000..U+00FF (Latin-1), so
/// HarReader gives the same bytes back. Hookscope's own facts go in `_hookscope` (id, endpoint,
/// remoteAddress, verification, rejected, imported, event; target when it is not origin-form).
class HarWriter final
{
public:
    void add(const Capture::StoredCapture &capture);
    QJsonObject document() const;
    QByteArray toJson() const; // indented, as HAR files usually are

    static QJsonObject entry(const Capture::StoredCapture &capture);

private:
    QJsonArray m_entries;
};

} // namespace Exchange
