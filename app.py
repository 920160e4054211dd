"""Spiral playground: ``streamlit run app.py``.

Streamlit runs this file for every page run (``__main__``); ``streamlit run`` imports it first to serve it,
with the live view's own socket beside Streamlit's routes."""

import streamlit as st

if __name__ == "__main__":
    from playground.ui.lab_page import lab_page
    from playground.ui.language import language_switch
    from playground.ui.lessons_page import lessons_page
    from playground.ui.page import playground_page
    from playground.ui.tab import tab_access
    from playground.ui.text import t

    language_switch()  # first: the titles, and both pages, speak the language chosen
    # "auto": the settings open beside the picture on a wide screen, and closed on a phone, where they would cover
    # it and Play (a tap on the header's » opens them)
    st.set_page_config(page_title=t("Spiral playground"), page_icon="🌀", layout="wide", initial_sidebar_state="auto")
    pages = {
        "playground": st.Page(playground_page, title=t("Playground"), icon=":material/hub:", default=True),
        "lab": st.Page(lab_page, title=t("Chapter 1 lab"), icon=":material/school:", url_path="lab"),
        "lessons": st.Page(lessons_page, title=t("Lessons"), icon=":material/menu_book:", url_path="lessons"),
    }
    access = tab_access()  # a teacher's link may hide the other pages
    st.navigation([page for name, page in pages.items() if name not in access.hidden]).run()
else:
    import gc

    from starlette.middleware import Middleware

    from playground.live.socket import ROUTES

    # ~0.6 s, pandas among them: not in a first visit's run
    from playground.ui import lab_page, lessons_page, page
    from playground.ui.page_head import StyleInHead, head_style

    # what the server imported stays for its life: frozen, it is no longer walked by the full collection that each
    # new tab's first run makes (tab.page_session), which took 20-32 ms a tab and 0.2-2 ms frozen (bench/load.py)
    gc.collect()
    gc.freeze()
    style = head_style(page.primary_color())
    app = st.App(__file__, routes=ROUTES, middleware=[Middleware(StyleInHead, style=style)])
