"""The lessons page: a card for each built-in lesson (``playground/lessons.py``), with the part of chapter 1 it
follows, what to try, its goal, and a button that opens the playground with it."""

from urllib.parse import urlencode

import streamlit as st

from playground.lessons import LESSON_KEY, LESSONS, SECTIONS
from playground.links import language_query
from playground.tasks import fits_values, goals_text
from playground.ui.language import write_link
from playground.ui.text import lang, shielded, t


def lesson_link(lesson):
    """The playground's link opening ``lesson`` in the page's language: relative, so it opens where the app is
    served, and in a new tab, so the lesson starts from its own settings whatever this tab's run was."""
    return "./?" + urlencode({LESSON_KEY: lesson.id} | language_query(lang()))


def lesson_card(lesson):
    with st.container(border=True):
        st.markdown("#### " + t(lesson.title))
        st.markdown(t("Chapter 1, section {number}: {title}", number=lesson.section, title=t(SECTIONS[lesson.section])))
        st.markdown(t(lesson.task.text))
        st.markdown(t("**Goal:** {goals}", goals=t(goals_text(lesson.task, fits_values(lesson.query)))))
        st.link_button(
            t("Open this lesson: {title}", title=t(lesson.title)),
            lesson_link(lesson),
            icon=":material/play_lesson:",
        )
        with st.expander(t("The answer")):
            st.markdown(t(lesson.task.answer))


@shielded
def lessons_page():
    write_link(language_query(lang()))
    st.markdown(t("### Lessons"))
    st.markdown(
        t(
            "Each lesson opens the playground with its settings and a task that checks itself: chapter 1 of the "
            "book, and the classics taught with TensorFlow Playground."
        )
    )
    for lesson in LESSONS.values():
        lesson_card(lesson)
