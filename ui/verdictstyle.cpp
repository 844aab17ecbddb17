#include "verdictstyle.h"

#include <QCoreApplication>
#include <QHash>
#include <QImageReader>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

QString VerdictStyle::text(Capture::Verdict verdict)
{
    switch (verdict) {
    case Capture::Verdict::Pending: return QCoreApplication::translate("VerdictStyle", "Pending");
    case Capture::Verdict::Verified: return QCoreApplication::translate("VerdictStyle", "Verified");
    case Capture::Verdict::Invalid: return QCoreApplication::translate("VerdictStyle", "Invalid");
    case Capture::Verdict::Unsigned: return QCoreApplication::translate("VerdictStyle", "Unsigned");
    case Capture::Verdict::KeyUnknown: return QCoreApplication::translate("VerdictStyle", "Key unknown");
    case Capture::Verdict::Rejected: return QCoreApplication::translate("VerdictStyle", "Rejected");
    }
    return {};
}

QColor VerdictStyle::colour(Capture::Verdict verdict, bool dark)
{
    switch (verdict) {
    case Capture::Verdict::Verified: return dark ? QColor(0x6c, 0xd4, 0x7e) : QColor(0x1e, 0x7b, 0x34);
    case Capture::Verdict::Invalid: return dark ? QColor(0xff, 0x7b, 0x72) : QColor(0xc0, 0x1c, 0x28);
    case Capture::Verdict::Rejected: return dark ? QColor(0xf0, 0x88, 0x3e) : QColor(0xa3, 0x4a, 0x00);
    case Capture::Verdict::KeyUnknown: return dark ? QColor(0xe3, 0xb3, 0x41) : QColor(0x8a, 0x63, 0x00);
    case Capture::Verdict::Unsigned:
    case Capture::Verdict::Pending: return dark ? QColor(0xa0, 0xa8, 0xb0) : QColor(0x5e, 0x65, 0x6d);
    }
    return {};
}

QColor VerdictStyle::statusColour(const QString &status, bool dark)
{
    static const QHash<QString, Capture::Verdict> map = {
        {QStringLiteral("valid"), Capture::Verdict::Verified},      {QStringLiteral("verified"), Capture::Verdict::Verified},
        {QStringLiteral("mismatch"), Capture::Verdict::Invalid},    {QStringLiteral("invalid"), Capture::Verdict::Invalid},
        {QStringLiteral("malformed"), Capture::Verdict::Invalid},   {QStringLiteral("key-unknown"), Capture::Verdict::KeyUnknown},
        {QStringLiteral("unsupported"), Capture::Verdict::KeyUnknown}, {QStringLiteral("rejected"), Capture::Verdict::Rejected},
    };
    const auto it = map.constFind(status);
    return it == map.cend() ? QColor() : colour(*it, dark);
}

QIcon VerdictStyle::icon(Capture::Verdict verdict)
{
    static const bool svg = QImageReader::supportedImageFormats().contains("svg");
    static QHash<int, QIcon> cache;
    if (const auto it = cache.constFind(int(verdict)); it != cache.cend())
        return *it;
    static const char *const names[] = {"pending", "verified", "invalid", "unsigned", "key-unknown", "rejected"};
    const QIcon result = svg ? QIcon(QStringLiteral(":/icons/verdict-%1.svg").arg(QLatin1StringView(names[int(verdict)])))
                             : paintedIcon(verdict);
    cache.insert(int(verdict), result);
    return result;
}

QIcon VerdictStyle::paintedIcon(Capture::Verdict verdict)
{
    QIcon icon;
    for (const int size : {16, 32}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        p.scale(size / 16.0, size / 16.0);
        p.setPen(Qt::NoPen);
        p.setBrush(colour(verdict, false));
        p.drawEllipse(QRectF(1, 1, 14, 14));
        QPen pen(Qt::white, 2.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
        p.setPen(pen);
        p.setBrush(Qt::NoBrush);
        switch (verdict) {
        case Capture::Verdict::Verified:
            p.drawPolyline(QPolygonF({QPointF(4.5, 8.5), QPointF(7, 11), QPointF(11.5, 5.5)}));
            break;
        case Capture::Verdict::Invalid:
            p.drawLine(QPointF(5, 5), QPointF(11, 11));
            p.drawLine(QPointF(11, 5), QPointF(5, 11));
            break;
        case Capture::Verdict::Unsigned:
            p.drawLine(QPointF(4.5, 8), QPointF(11.5, 8));
            break;
        case Capture::Verdict::KeyUnknown: {
            QPainterPath question;
            question.moveTo(5.5, 6.2);
            question.cubicTo(5.5, 3.5, 10.5, 3.5, 10.5, 6.2);
            question.cubicTo(10.5, 8, 8, 8, 8, 9.6);
            p.drawPath(question);
            p.drawPoint(QPointF(8, 12));
            break;
        }
        case Capture::Verdict::Rejected:
            p.drawEllipse(QRectF(4, 4, 8, 8));
            p.drawLine(QPointF(5.2, 10.8), QPointF(10.8, 5.2));
            break;
        case Capture::Verdict::Pending:
            for (const qreal x : {5.0, 8.0, 11.0})
                p.drawPoint(QPointF(x, 8));
            break;
        }
        p.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}
