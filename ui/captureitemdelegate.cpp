#include "captureitemdelegate.h"

#include "capturelistmodel.h"
#include "verdictstyle.h"

void CaptureItemDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const bool dark = option->palette.color(QPalette::Base).lightness() < 128;
    const auto verdict = Capture::Verdict(index.data(CaptureListModel::VerdictRole).toInt());
    switch (index.column()) {
    case CaptureListModel::Signature: {
        option->features |= QStyleOptionViewItem::HasDecoration;
        option->icon = VerdictStyle::icon(verdict);
        option->decorationSize = QSize(16, 16);
        option->palette.setColor(QPalette::Text, VerdictStyle::colour(verdict, dark));
        if (verdict != Capture::Verdict::Pending)
            option->font.setBold(verdict != Capture::Verdict::Verified);
        break;
    }
    case CaptureListModel::Digest:
    case CaptureListModel::Status: {
        const QString text = index.column() == CaptureListModel::Digest ? option->text
                             : verdict == Capture::Verdict::Rejected ? QStringLiteral("rejected") : QString();
        const QColor colour = VerdictStyle::statusColour(text, dark);
        if (colour.isValid())
            option->palette.setColor(QPalette::Text, colour);
        break;
    }
    case CaptureListModel::Pinned:
        option->displayAlignment = Qt::AlignCenter;
        option->palette.setColor(QPalette::Text, dark ? QColor(0xe3, 0xb3, 0x41) : QColor(0xb0, 0x80, 0x00));
        break;
    default:
        break;
    }
}
