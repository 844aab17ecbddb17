#include "keysmanagerdialog.h"
#include "ui_keysmanagerdialog.h"

KeysManagerDialog::KeysManagerDialog(QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::KeysManagerDialog>())
{
    m_ui->setupUi(this);
}

KeysManagerDialog::~KeysManagerDialog() = default;

Verify::KeySet KeysManagerDialog::keySet() const
{
    return m_keys;
}

void KeysManagerDialog::setStorePath(const QString &path)
{
    m_storePath = path;
}
