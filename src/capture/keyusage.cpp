#include "capture/keyusage.h"

#include "capture/schema.h"
#include "capture/sqlitestatement.h"
#include "capture/storeddocument.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

namespace Capture {

std::expected<QList<KeyUsage>, QString> capturesVerifiedByKey(const QString &storePath, const QString &keyId,
                                                              const QString &thumbprint, int limit)
{
    const QString name = QStringLiteral("hookscope-keyusage-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    std::expected<QList<KeyUsage>, QString> result;
    {
        const QString error = openDatabase(storePath, name, true);
        if (!error.isEmpty()) {
            result = std::unexpected(error);
        } else if (StoredDocument::registerSqlFunction(sqliteHandle(QSqlDatabase::database(name))) != 0) {
            result = std::unexpected(QStringLiteral("cannot read the stored verdicts of %1").arg(storePath));
        } else {
            QSqlQuery query(QSqlDatabase::database(name));
            // Every signature of the verdict (signatures[]) and the headline one (signature), so
            // verdicts written before "signatures" existed are found too. The headline is the
            // first verified signature, so the summary column rules out the rest unread.
            query.prepare(QStringLiteral(
                "SELECT c.id, c.received_at, c.method, c.target, c.endpoint FROM captures c"
                " JOIN (SELECT id, hookscope_document(verification) AS v FROM capture_analysis) a ON a.id = c.id"
                " WHERE c.signature_status = 'verified' AND a.v IS NOT NULL AND ("
                " EXISTS (SELECT 1 FROM json_each(a.v, '$.signatures') s"
                "  WHERE json_extract(s.value, '$.status') = 'verified'"
                "   AND (json_extract(s.value, '$.keyId') = :kid OR (:thumb <> '' AND json_extract(s.value, '$.key.thumbprint') = :thumb)))"
                " OR (json_extract(a.v, '$.signature.status') = 'verified'"
                "   AND (json_extract(a.v, '$.signature.keyId') = :kid"
                "    OR (:thumb <> '' AND json_extract(a.v, '$.signature.key.thumbprint') = :thumb))))"
                " ORDER BY c.id DESC LIMIT :limit"));
            query.bindValue(QStringLiteral(":kid"), keyId);
            query.bindValue(QStringLiteral(":thumb"), thumbprint);
            query.bindValue(QStringLiteral(":limit"), limit);
            if (!query.exec()) {
                result = std::unexpected(query.lastError().text());
            } else {
                while (query.next()) {
                    result->append({query.value(0).toLongLong(), query.value(1).toLongLong(), query.value(2).toByteArray(),
                                    query.value(3).toByteArray(), query.value(4).toString()});
                }
            }
        }
        QSqlDatabase::database(name, false).close();
    }
    QSqlDatabase::removeDatabase(name);
    return result;
}

} // namespace Capture
