"""Spiral playground: ``streamlit run app.py``."""

import streamlit as st

from playground.lab_page import lab_page
from playground.widgets import language_switch, playground_page, t

language_switch()  # first: the titles, and both pages, speak the language chosen
st.set_page_config(page_title=t("Spiral playground"), page_icon="🌀", layout="wide", initial_sidebar_state="expanded")
st.navigation(
    [
        st.Page(playground_page, title=t("Playground"), icon=":material/hub:", default=True),
        st.Page(lab_page, title=t("Chapter 1 lab"), icon=":material/school:", url_path="lab"),
    ]
).run()
