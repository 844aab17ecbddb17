#pragma once

#include <QStyledItemDelegate>

/// Decorates the capture list from its semantic roles: verdict icon and colour in the signature
/// column, status colours in the digest column (the model itself never returns colours).
class CaptureItemDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};
