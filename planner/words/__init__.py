"""Model -> words and tables for people; pure, no streamlit."""
