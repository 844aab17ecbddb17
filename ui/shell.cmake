# The shell: main window, capture list model and filter proxy, filter bar, endpoints, settings.
target_sources(hookscope_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/captureitemdelegate.cpp ${CMAKE_CURRENT_LIST_DIR}/captureitemdelegate.h
    ${CMAKE_CURRENT_LIST_DIR}/capturefilterproxy.cpp ${CMAKE_CURRENT_LIST_DIR}/capturefilterproxy.h
    ${CMAKE_CURRENT_LIST_DIR}/capturelistmodel.cpp ${CMAKE_CURRENT_LIST_DIR}/capturelistmodel.h
    ${CMAKE_CURRENT_LIST_DIR}/curlcommand.cpp ${CMAKE_CURRENT_LIST_DIR}/curlcommand.h
    ${CMAKE_CURRENT_LIST_DIR}/endpointconfig.cpp ${CMAKE_CURRENT_LIST_DIR}/endpointconfig.h
    ${CMAKE_CURRENT_LIST_DIR}/endpointmanager.cpp ${CMAKE_CURRENT_LIST_DIR}/endpointmanager.h
    ${CMAKE_CURRENT_LIST_DIR}/endpointsdialog.cpp ${CMAKE_CURRENT_LIST_DIR}/endpointsdialog.h ${CMAKE_CURRENT_LIST_DIR}/endpointsdialog.ui
    ${CMAKE_CURRENT_LIST_DIR}/filterbar.cpp ${CMAKE_CURRENT_LIST_DIR}/filterbar.h
    ${CMAKE_CURRENT_LIST_DIR}/mainwindow.cpp ${CMAKE_CURRENT_LIST_DIR}/mainwindow.h
    ${CMAKE_CURRENT_LIST_DIR}/settings.cpp ${CMAKE_CURRENT_LIST_DIR}/settings.h
    ${CMAKE_CURRENT_LIST_DIR}/settingsdialog.cpp ${CMAKE_CURRENT_LIST_DIR}/settingsdialog.h ${CMAKE_CURRENT_LIST_DIR}/settingsdialog.ui
    ${CMAKE_CURRENT_LIST_DIR}/theme.cpp ${CMAKE_CURRENT_LIST_DIR}/theme.h
    ${CMAKE_CURRENT_LIST_DIR}/verdictstyle.cpp ${CMAKE_CURRENT_LIST_DIR}/verdictstyle.h
    ${CMAKE_CURRENT_LIST_DIR}/verificationservice.cpp ${CMAKE_CURRENT_LIST_DIR}/verificationservice.h
    ${CMAKE_CURRENT_LIST_DIR}/shell.qrc
)
set_property(TARGET hookscope_ui PROPERTY AUTORCC ON) # shell.qrc: verdict icons (Q_INIT_RESOURCE in MainWindow)
