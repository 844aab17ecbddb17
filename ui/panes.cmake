# The detail panes (overview, headers, body, signature, event, raw) and the keys manager.
set(panes_sources
    bodypane displaytext detailpanes eventpane headersmodel headerspane hexview jsonhighlighter
    jsonpretty jsontreemodel keysmanagerdialog keystablemodel overviewpane rawpane signaturepane signingstringview
    stringdiffbox verdictlook
)
foreach(name IN LISTS panes_sources)
    target_sources(hookscope_ui PRIVATE ${CMAKE_CURRENT_LIST_DIR}/${name}.h ${CMAKE_CURRENT_LIST_DIR}/${name}.cpp)
endforeach()
target_sources(hookscope_ui PRIVATE ${CMAKE_CURRENT_LIST_DIR}/keysmanagerdialog.ui)
