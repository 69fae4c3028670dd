"""Home page: what the app is in one sentence, and three ways in."""

import streamlit as st

from ui import doors, lesson

DOORS = (
    ("tour", ":material/school:", "Take the guided tour",
     f"{len(lesson.STEPS)} short steps, from a first straight line to a curved boundary, overfitting and the "
     "threshold: each step sets everything up and says what to look at.",
     doors.start_tour, "pages/train.py"),
    ("explore", ":material/tune:", "Explore the settings",
     "The Train page with every control: learning rate, epochs, penalties, polynomial terms, "
     "and a replay of the training, epoch by epoch.",
     doors.explore, "pages/train.py"),
    ("mydata", ":material/upload_file:", "Choose a threshold for my data",
     "Upload a CSV with a column of classes, train a model on it, then pick the probability at "
     "which it says \"yes\", seeing what each choice catches and costs.",
     doors.my_data, "pages/data.py"),
)

st.title("Watch a computer learn to separate groups")
st.markdown("This is a playground for **logistic regression**: a computer learns, step by step, "
            "to tell groups of points apart by drawing a boundary between them, and you can see "
            "every step.")

# The three doors as boxes of one height with their buttons on one line, however long each text.
DOOR_CSS = "".join(
    f"[data-testid=stLayoutWrapper]:has(> .st-key-door_{name}) {{ flex: 1 1 auto; }} "
    f".st-key-door_{name} {{ height: 100%; }} .st-key-door_btn_{name} {{ margin-top: auto; }} "
    for name, *_ in DOORS)

clicked = None
for column, (name, icon, label, text, action, target) in zip(st.columns(3), DOORS):
    with column.container(border=True, key=f"door_{name}"):
        st.subheader(label, anchor=False)
        st.write(text)
        if st.button(label, key=f"door_btn_{name}", icon=icon, type="primary",
                     width="stretch", on_click=action):
            clicked = target
if clicked:
    st.switch_page(clicked)

st.caption("The pages stay in the menu on the left: **Data** to choose or upload data, "
           "**Train**, **Threshold**, **Why: coefficients and paths**, **Multiclass**, **Runs**, "
           "and **About the math**.")
st.html(f"<style>{DOOR_CSS}</style>")
