#include "capture/capturefilter.h"

#include "capture/capturefilterparser.h"
#include "capture/schema.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

#include <algorithm>

namespace Capture {

const QStringList &digestStatusNames()
{
    static const QStringList names = {QString(), QStringLiteral("valid"), QStringLiteral("mismatch"), QStringLiteral("absent"),
                                      QStringLiteral("malformed"), QStringLiteral("unsupported")};
    return names;
}

const QStringList &signatureStatusNames()
{
    static const QStringList names = {QString(), QStringLiteral("verified"), QStringLiteral("invalid"),
                                      QStringLiteral("absent"), QStringLiteral("malformed"),
                                      QStringLiteral("key-unknown"), QStringLiteral("unsupported")};
    return names;
}

QString verdictName(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Pending: return QStringLiteral("pending");
    case Verdict::Verified: return QStringLiteral("verified");
    case Verdict::Invalid: return QStringLiteral("invalid");
    case Verdict::Unsigned: return QStringLiteral("unsigned");
    case Verdict::KeyUnknown: return QStringLiteral("key-unknown");
    case Verdict::Rejected: return QStringLiteral("rejected");
    }
    return QString();
}

std::expected<CaptureFilter, CaptureFilter::Error> CaptureFilter::parse(QStringView text, const QDateTime &now)
{
    return FilterParser(text, now).run();
}

QString CaptureFilter::syntaxHelp()
{
    return QStringLiteral(
        "Terms: method:POST, path:/hooks, header[digest]:SHA-256 (or header[digest] for presence), "
        "body:\"coupon\", verdict:verified|invalid|unsigned|key-unknown|rejected|pending, "
        "problem:digest-mismatch, status:>=400 (or 4xx, 400..499), endpoint:main, "
        "time:>2026-12-01T10:00 or time:10:00..11:00 (today), event:invoice, digest:mismatch, "
        "signature:invalid, size:>1000, id:42, is:pinned; a bare word searches path, method and event. "
        "Combine with and, or, not and parentheses; terms side by side mean and.");
}

namespace {

bool compare(CaptureFilter::Op op, qint64 value, qint64 low, qint64 high)
{
    using Op = CaptureFilter::Op;
    switch (op) {
    case Op::Equals: return value == low;
    case Op::NotEquals: return value != low;
    case Op::Less: return value < low;
    case Op::LessEqual: return value <= low;
    case Op::Greater: return value > low;
    case Op::GreaterEqual: return value >= low;
    case Op::Range: return value >= low && value <= high;
    case Op::Contains:
    case Op::Exists: return false;
    }
    return false;
}

char lowerAscii(char c)
{
    return c >= 'A' && c <= 'Z' ? char(c + ('a' - 'A')) : c;
}

// ASCII case-insensitive search without allocating: this runs a million times per filter.
bool containsLowered(QByteArrayView haystack, QByteArrayView lowerNeedle)
{
    const qsizetype n = lowerNeedle.size();
    if (n == 0)
        return true;
    const char first = lowerNeedle[0];
    for (qsizetype i = 0; i + n <= haystack.size(); ++i) {
        if (lowerAscii(haystack[i]) != first)
            continue;
        qsizetype j = 1;
        while (j < n && lowerAscii(haystack[i + j]) == lowerNeedle[j])
            ++j;
        if (j == n)
            return true;
    }
    return false;
}

bool containsIgnoringCase(QByteArrayView haystack, QStringView needle)
{
    return containsLowered(haystack, needle.toString().toLower().toUtf8());
}

} // namespace

bool CaptureFilter::matches(const FilterRow &row) const
{
    return m_root < 0 || evaluate(m_root, row);
}

bool CaptureFilter::evaluate(int index, const FilterRow &row) const
{
    const Node &node = m_nodes[size_t(index)];
    switch (node.kind) {
    case Node::Kind::And: return evaluate(node.left, row) && evaluate(node.right, row);
    case Node::Kind::Or: return evaluate(node.left, row) || evaluate(node.right, row);
    case Node::Kind::Not: return !evaluate(node.left, row);
    case Node::Kind::Term: return evaluateTerm(node, row);
    }
    return false;
}

bool CaptureFilter::evaluateTerm(const Node &node, const FilterRow &row) const
{
    switch (node.field) {
    case Field::Any:
        return containsLowered(row.path, node.lowered) || row.eventType.contains(node.text, Qt::CaseInsensitive)
            || row.method.compare(node.bytes, Qt::CaseInsensitive) == 0;
    case Field::Method: return row.method.compare(node.bytes, Qt::CaseInsensitive) == 0;
    case Field::Endpoint: return row.endpoint.compare(node.text, Qt::CaseInsensitive) == 0;
    case Field::Path: return containsLowered(row.path, node.lowered);
    case Field::Event: return row.eventType.contains(node.text, Qt::CaseInsensitive);
    case Field::Verdict: return qint64(row.verdict) == node.low;
    case Field::Digest: return row.digestStatus == node.low;
    case Field::Signature: return row.signatureStatus == node.low;
    case Field::Pinned: return row.pinned;
    case Field::Status: return compare(node.op, row.responseStatus, node.low, node.high);
    case Field::Size: return compare(node.op, row.bodySize, node.low, node.high);
    case Field::Id: return compare(node.op, row.id, node.low, node.high);
    case Field::Time: return compare(node.op, row.receivedAtMs, node.low, node.high);
    case Field::Header:
    case Field::Body:
    case Field::Problem: {
        const std::vector<qint64> &ids = m_storeTerms[size_t(node.storeTerm)];
        return std::binary_search(ids.begin(), ids.end(), row.id);
    }
    }
    return false;
}

namespace {

// Does one head line "Name: value" match header[name]:value (name and value ignore case)?
bool headerLineMatches(QByteArrayView line, const QString &name, const QString &value, bool presenceOnly)
{
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0)
        return false;
    const QByteArrayView fieldName = line.first(colon).trimmed();
    if (QLatin1StringView(fieldName.data(), fieldName.size()).compare(name, Qt::CaseInsensitive) != 0)
        return false;
    return presenceOnly || containsIgnoringCase(line.sliced(colon + 1), value);
}

} // namespace

std::expected<void, QString> CaptureFilter::resolveStoreTerms(const QString &storePath, qint64 minId)
{
    if (m_storeTerms.empty())
        return {};
    const QString connection = QStringLiteral("hookscope-filter-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    QString error = openDatabase(storePath, connection, true);
    if (error.isEmpty()) {
        QSqlQuery query(QSqlDatabase::database(connection));
        query.setForwardOnly(true);
        for (const Node &node : m_nodes) {
            if (node.storeTerm < 0)
                continue;
            std::vector<qint64> &ids = m_storeTerms[size_t(node.storeTerm)];
            ids.clear();
            const bool header = node.field == Field::Header;
            if (node.field == Field::Body) {
                // Search after the head only (RFC 9112 §2.1: the body follows the empty line).
                query.prepare(QStringLiteral("SELECT id FROM capture_raw WHERE id >= ?"
                                             " AND instr(substr(raw, instr(raw, X'0D0A0D0A') + 4), ?) > 0 ORDER BY id"));
                query.addBindValue(minId);
                query.addBindValue(node.bytes);
            } else if (node.field == Field::Problem) {
                query.prepare(QStringLiteral("SELECT id FROM captures WHERE id >= ?"
                                             " AND instr(',' || problem_codes || ',', ?) > 0 ORDER BY id"));
                query.addBindValue(minId);
                query.addBindValue(QString(QLatin1Char(',') + node.text + QLatin1Char(',')));
            } else {
                // SQLite narrows the candidates, each head line is then checked here.
                query.prepare(QStringLiteral(
                    "SELECT id, head FROM (SELECT id, substr(raw, 1, instr(raw, X'0D0A0D0A')) AS head FROM capture_raw"
                    " WHERE id >= ?) WHERE instr(lower(CAST(head AS TEXT)), ?) > 0"
                    " AND instr(lower(CAST(head AS TEXT)), ?) > 0 ORDER BY id"));
                query.addBindValue(minId);
                query.addBindValue(node.headerName.toLower());
                // a null string would bind NULL and match nothing; presence only needs the name
                query.addBindValue(node.op == Op::Exists ? node.headerName.toLower() : node.text.toLower());
            }
            if (!query.exec()) {
                error = query.lastError().text();
                break;
            }
            while (query.next()) {
                const qint64 id = query.value(0).toLongLong();
                if (header) {
                    const QByteArray head = query.value(1).toByteArray();
                    const QList<QByteArray> lines = head.split('\n');
                    const bool found = std::any_of(lines.begin() + 1, lines.end(), [&](const QByteArray &line) {
                        return headerLineMatches(QByteArrayView(line).trimmed(), node.headerName, node.text, node.op == Op::Exists);
                    });
                    if (!found)
                        continue;
                }
                ids.push_back(id);
            }
        }
    }
    QSqlDatabase::removeDatabase(connection);
    if (!error.isEmpty())
        return std::unexpected(error);
    return {};
}

QString CaptureFilter::toString() const
{
    return m_root < 0 ? QString() : nodeToString(m_root);
}

QString CaptureFilter::nodeToString(int index) const
{
    const Node &node = m_nodes[size_t(index)];
    switch (node.kind) {
    case Node::Kind::And: return u'(' + nodeToString(node.left) + QStringLiteral(" and ") + nodeToString(node.right) + u')';
    case Node::Kind::Or: return u'(' + nodeToString(node.left) + QStringLiteral(" or ") + nodeToString(node.right) + u')';
    case Node::Kind::Not: return QStringLiteral("not ") + nodeToString(node.left);
    case Node::Kind::Term: break;
    }
    static const char *const fields[] = {"any", "method", "path", "header", "body", "verdict", "problem", "status",
                                         "endpoint", "time", "event", "digest", "signature", "size", "id", "is"};
    static const char *const ops[] = {"~", "=", "!=", "<", "<=", ">", ">=", "..", "?"};
    QString field = QLatin1StringView(fields[int(node.field)]);
    if (!node.headerName.isEmpty())
        field += u'[' + node.headerName + u']';
    QString operand = node.text;
    if (node.field == Field::Verdict)
        operand = verdictName(Verdict(node.low));
    else if (node.field == Field::Digest)
        operand = digestStatusNames().value(node.low);
    else if (node.field == Field::Signature)
        operand = signatureStatusNames().value(node.low);
    else if (node.op == Op::Range)
        operand = QString::number(node.low) + QStringLiteral("..") + QString::number(node.high);
    else if (node.op == Op::Exists)
        operand.clear();
    else if (operand.isEmpty())
        operand = QString::number(node.low);
    return field + QLatin1StringView(ops[int(node.op)]) + operand;
}

} // namespace Capture
