"""Spiral playground: ``streamlit run app.py``."""

import streamlit as st

from playground.lab_page import lab_page
from playground.widgets import playground_page

st.set_page_config(page_title="Spiral playground", page_icon="🌀", layout="wide", initial_sidebar_state="expanded")
st.navigation(
    [
        st.Page(playground_page, title="Playground", icon=":material/hub:", default=True),
        st.Page(lab_page, title="Chapter 1 lab", icon=":material/school:", url_path="lab"),
    ]
).run()
