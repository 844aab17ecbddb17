#include "detailpanes.h"

DetailPanes::DetailPanes(QWidget *parent)
    : QTabWidget(parent)
{
}

void DetailPanes::showCapture(const Capture::StoredCapture &capture)
{
    Q_UNUSED(capture);
}

void DetailPanes::clear()
{
}
