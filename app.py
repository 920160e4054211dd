"""Spiral playground: ``streamlit run app.py``."""

import streamlit as st

from playground.widgets import playground_page

st.set_page_config(page_title="Spiral playground", page_icon="🌀", layout="wide", initial_sidebar_state="expanded")
playground_page()
