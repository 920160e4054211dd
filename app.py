"""Spiral playground: ``streamlit run app.py``."""

import streamlit as st

from playground.widgets import book_run_page

st.set_page_config(page_title="Spiral playground", page_icon="🌀", layout="wide")
book_run_page()
