"""Everything Streamlit: the playground page (``page``) and its parts, the chapter 1 lab page (``lab_page``)."""
