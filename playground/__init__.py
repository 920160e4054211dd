"""The playground app: state (pure Python), charts (plotly figure builders), widgets (Streamlit)."""
