"""Streamlit pages. The only part of the project that imports Streamlit."""
