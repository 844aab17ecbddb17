#pragma once

#include "capture/capturesummary.h"

#include <QByteArrayView>
#include <QDateTime>
#include <QString>
#include <QStringView>

#include <expected>
#include <vector>

namespace Capture {

/// One capture as a filter sees it: views into whatever compact storage the caller keeps.
struct FilterRow
{
    qint64 id = 0;
    qint64 receivedAtMs = 0;
    qint64 bodySize = 0;
    QByteArrayView method;
    QByteArrayView path;
    QStringView endpoint;
    QStringView eventType;
    int responseStatus = 0;
    Verdict verdict = Verdict::Pending;
    quint8 digestStatus = 0;    // index into digestStatusNames()
    quint8 signatureStatus = 0; // index into signatureStatusNames()
    bool pinned = false;
};

/// The names behind CaptureSummary::digestStatus / signatureStatus (index 0: not verified).
const QStringList &digestStatusNames();
const QStringList &signatureStatusNames();
/// The filter language's word for a verdict ("verified", "key-unknown", ...).
QString verdictName(Verdict verdict);

/// A parsed capture filter such as `method:POST and path:/hooks and not verdict:verified`.
/// Terms on the summary (method, path, verdict, status, endpoint, time, ...) are evaluated per
/// row; terms that need the stored bytes (header[name], body, problem) are first resolved to id
/// sets by resolveStoreTerms(), which runs SQL on its own connection (call it off the GUI thread).
class CaptureFilter final
{
public:
    struct Error
    {
        int position = 0; // in characters, from 0
        int length = 1;
        QString message;
    };

    /// Parses text; time values without a date are taken on now's day (local time).
    static std::expected<CaptureFilter, Error> parse(QStringView text,
                                                     const QDateTime &now = QDateTime::currentDateTime());
    /// The language in one paragraph, for tooltips and help.
    static QString syntaxHelp();

    bool isEmpty() const { return m_nodes.empty(); }
    /// True when resolveStoreTerms() must run before matches() gives the right answer.
    bool needsStore() const { return !m_storeTerms.empty(); }
    /// Finds the ids (>= minId) that satisfy each header/body/problem term.
    std::expected<void, QString> resolveStoreTerms(const QString &storePath, qint64 minId = 0);
    bool matches(const FilterRow &row) const;
    /// A canonical, fully parenthesised form (tests, debugging).
    QString toString() const;

    enum class Field { Any, Method, Path, Header, Body, Verdict, Problem, Status, Endpoint, Time,
                       Event, Digest, Signature, Size, Id, Pinned };
    enum class Op { Contains, Equals, NotEquals, Less, LessEqual, Greater, GreaterEqual, Range, Exists };
    struct Node
    {
        enum class Kind { And, Or, Not, Term } kind = Kind::Term;
        int left = -1;
        int right = -1;
        Field field = Field::Any;
        Op op = Op::Contains;
        QString text;        // string operand (lowercased where matching ignores case)
        QByteArray bytes;    // the same as UTF-8 (method, path, body)
        QByteArray lowered;  // lowercased UTF-8, for case-insensitive byte searches (path)
        QString headerName;
        qint64 low = 0;      // numeric / time operands; Range is [low, high]
        qint64 high = 0;
        int storeTerm = -1;  // index into m_storeTerms
    };

private:
    friend class FilterParser;
    bool evaluate(int node, const FilterRow &row) const;
    bool evaluateTerm(const Node &node, const FilterRow &row) const;
    QString nodeToString(int node) const;

    std::vector<Node> m_nodes;
    int m_root = -1;
    std::vector<std::vector<qint64>> m_storeTerms; // sorted matching ids, one list per store term
};

} // namespace Capture
