# The detail panes (overview, headers, body, signature, event, raw) and the keys manager.
target_sources(hookscope_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/detailpanes.h ${CMAKE_CURRENT_LIST_DIR}/detailpanes.cpp
    ${CMAKE_CURRENT_LIST_DIR}/keysmanagerdialog.h ${CMAKE_CURRENT_LIST_DIR}/keysmanagerdialog.cpp
    ${CMAKE_CURRENT_LIST_DIR}/keysmanagerdialog.ui
)
