target_sources(hookscope_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/capturefilterproxy.cpp ${CMAKE_CURRENT_LIST_DIR}/capturefilterproxy.h
    ${CMAKE_CURRENT_LIST_DIR}/capturelistmodel.cpp ${CMAKE_CURRENT_LIST_DIR}/capturelistmodel.h
    ${CMAKE_CURRENT_LIST_DIR}/mainwindow.cpp ${CMAKE_CURRENT_LIST_DIR}/mainwindow.h
)
