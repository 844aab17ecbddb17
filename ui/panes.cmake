target_sources(hookscope_ui PRIVATE
)
