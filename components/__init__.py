"""The app's small render functions: each draws one part of a page with Streamlit and holds no
planning logic (that is in planner/, which never imports streamlit). pages/ call these."""
