"""Runs page: the session's run history, and any 2-4 runs compared side by side."""

from functools import partial

import pandas as pd
import streamlit as st

from ui import compute, data_source, downloads, glossary, history, presentation
from ui.errors import guard

PICK_KEY = "runs_pick"          # widget: the run the action buttons act on
CHOSEN_KEY = "runs_compare"     # durable: the runs to compare (widget keys die on page switch)
TABLE_VERSION = "runs_table_version"  # a new table (no tick) after each row pick
BOUNDARY_RES = 120
# The compared boundaries (px): under the title, the intro and the run picker they fit the first
# screen at 1280x720 with the sidebar open (tests/e2e/test_layout.py).
BOUNDARY_HEIGHT = 440


def highlight(frame: pd.DataFrame):
    """Cells that say what changed since the previous run stand out; so does the current run."""
    def row_style(row):
        styles = [""] * len(row)
        col = list(row.index).index("changed")
        if row["changed"]:
            styles[col] = "background-color: #fff2b3; font-weight: 600"
        if row["status"] == "current":
            styles[0] = "background-color: #d9ecff; font-weight: 600"
        elif row["status"].startswith("stale"):
            styles = ["color: #999999"] * len(row)
        return styles
    return frame.style.apply(row_style, axis=1)


def pick_clicked_row(key):
    """A ticked table row picks that run for the buttons below the table.

    The tick is then cleared (a new table key): the picker below says which run is picked, and
    a tick left on a row that later moves down the list would point at another run.
    """
    rows = st.session_state[key].selection.rows
    entries = history.entries()
    if rows and rows[0] < len(entries):
        st.session_state[PICK_KEY] = entries[rows[0]].number
    st.session_state[TABLE_VERSION] = st.session_state.get(TABLE_VERSION, 0) + 1


def history_table():
    rows = history.table_rows()
    frame = pd.DataFrame(rows)
    small = st.column_config.TextColumn
    key = f"runs_table_{st.session_state.get(TABLE_VERSION, 0)}"
    st.dataframe(highlight(frame), hide_index=True, width="stretch", key=key,
                 on_select=partial(pick_clicked_row, key), selection_mode="single-row",
                 height=min(38 + 35 * len(rows), 420),
                 column_config={
                     "run": small(width=45), "★": small(width=30), "epochs": small(width=60),
                     "T": small(width=45, help=glossary.tip("The threshold the accuracy is measured at.")),
                     "train loss": small(width=75, help=glossary.tip("Final training log-loss.")),
                     "test loss": small(width=70, help=glossary.tip("Final test log-loss.")),
                     "test accuracy": small(width=95), "AUC": small(width=55),
                     "converged": small(width=85), "status": small(width=80),
                     "changed": small(help=glossary.tip("What changed since the run below it."))})
    st.caption("Tick a row's box to pick that run below. Blue: the run the Train page shows now. "
               "Yellow: what changed since the run below it. Accuracy is on the test set at "
               "the run's threshold T.")
    dropped = st.session_state.get(history.DROPPED_KEY, [])
    if dropped:
        st.caption(f"Dropped to keep {history.LIMIT} runs (oldest first, starred runs kept): "
                   + ", ".join(dropped) + ".")


def actions(entries):
    by_number = {e.number: e for e in entries}
    if st.session_state.get(PICK_KEY) not in by_number:
        st.session_state[PICK_KEY] = entries[0].number
    c1, c2, c3, c4 = st.columns([3, 2, 1, 1], vertical_alignment="bottom")
    number = c1.selectbox("Run", list(by_number), key=PICK_KEY,
                          format_func=lambda n: by_number[n].label)
    entry = by_number[number]
    stale = history.stale_reason(entry)
    c2.button("Make it the current run", on_click=history.restore, args=(number,),
              disabled=bool(stale) or history.is_current(entry), type="primary",
              icon=":material/restore:", width="stretch",
              help=glossary.tip("Its data and settings go back into the controls of every page."))
    c3.button("Unstar" if entry.starred else "Star", on_click=history.toggle_star,
              args=(number,), icon=":material/star:", width="stretch",
              help=glossary.tip("Starred runs are kept when the history is full."))
    c4.button("Delete", on_click=history.delete, args=(number,), icon=":material/delete:",
              width="stretch")
    r1, r2 = st.columns([3, 1], vertical_alignment="bottom")
    new_name = r1.text_input("New name for this run", key=f"rename_{number}",
                             placeholder=entry.auto_name, max_chars=80,
                             help=glossary.tip("Leave it empty for the automatic name."))
    r2.button("Rename", on_click=history.rename, args=(number, new_name),
              icon=":material/edit:", width="stretch")
    if stale:
        st.warning(stale, icon=":material/history_toggle_off:")
    elif history.is_current(entry):
        left, right = st.columns([3, 1], vertical_alignment="center")
        left.caption(f"{entry.label} is the current run: the Train page shows it.")
        with right:
            st.page_link("pages/train.py", label="Open the Train page",
                         icon=":material/model_training:")


def compare_picker(entries):
    by_number = {e.number: e for e in entries}
    saved = [n for n in st.session_state.get(CHOSEN_KEY, []) if n in by_number]
    if CHOSEN_KEY not in st.session_state:
        # First visit: the two newest runs on the same data as the newest.
        same = [e.number for e in entries if e.data_hash == entries[0].data_hash
                and not history.stale_reason(e)]
        saved = same[:2]
    chosen = st.multiselect("Compare runs side by side (2 to 4)", list(by_number), default=saved,
                            max_selections=4, format_func=lambda n: by_number[n].label,
                            key="runs_compare_widget")
    st.session_state[CHOSEN_KEY] = chosen
    return [by_number[n] for n in chosen]


def compare_views(chosen):
    runs = [history.run_of(e) for e in chosen]
    per_row = 2
    for start in range(0, len(chosen), per_row):
        for col, e, run in zip(st.columns(per_row), chosen[start:start + per_row],
                               runs[start:start + per_row]):
            presentation.chart(compute.boundary_figure(e.key, run.model.n_iter_,
                                                       e.scores.threshold, BOUNDARY_RES, run,
                                                       subtitle=e.label),
                               key=f"cmp_boundary_{e.number}", height=BOUNDARY_HEIGHT, where=col)
    for sentence in history.pair_sentences(chosen):  # what differs, under the pictures
        st.markdown(f"- {sentence}")
    left, right = st.columns(2)
    presentation.chart(downloads.loss_overlay(chosen, runs), key="cmp_loss", where=left)
    presentation.chart(downloads.roc_overlay(chosen, runs), key="cmp_roc", where=right)
    left, right = st.columns([3, 2])
    presentation.chart(downloads.weights_overlay(chosen, runs), key="cmp_weights", where=left)
    with right:
        st.markdown("**Weights, a column per run** (standardized model features; the "
                    "runs' names are in the chart's legend)")
        # Columns headed by run number: full names made a 1280 px screen scroll past the third.
        table = pd.DataFrame({f"#{e.number}": pd.Series(run.model.coef_.ravel(),
                                                        index=list(run.features.names))
                              for e, run in zip(chosen, runs)})
        # A feature one run does not have (another degree) is left blank, not "None".
        shown = table.apply(lambda col: [f"{w:.4f}" if w == w else "" for w in col])
        st.dataframe(shown, width="stretch", height=min(38 + 35 * len(table), 420),
                     key="cmp_weights_table")
    token = "|".join(f"{e.key}:{e.scores.threshold!r}:{e.name}" for e in chosen)
    downloads.prepared_download(
        "compare_report", token, lambda: downloads.compare_report(chosen, runs),
        what="comparison report (HTML)", file_name="runs-compared.html", mime="text/html",
        help=glossary.tip("One HTML file with these runs' settings, metrics, sentences and figures; it opens "
             "in any browser, offline."))


st.title("Runs")
st.write(f"Every model you train on the **Train** page is kept here (up to {history.LIMIT}, "
         "newest first). Make a run current again, star, rename or delete it; compare 2 to 4 "
         "runs. The list stays in this browser tab: a link carries the current run, not the list.")

with guard("showing the runs"):
    notice = st.session_state.pop(history.NOTICE_KEY, None)
    if notice:
        st.info(notice, icon=":material/history:")
    entries = history.entries()
    if not entries:
        if data_source.require_dataset() is not None:
            st.info("No runs yet: open the **Train** page; every model it trains appears here.")
            st.page_link("pages/train.py", label="Go to the Train page",
                         icon=":material/model_training:")
    else:
        # Plot-first (issue 13): the compared runs' boundaries on the first screen, then the
        # rest of the comparison, then the list of every run with what to do with one. The
        # picker has the whole width: beside a heading, three runs' names overflowed it at
        # 1280x720 (the first name's start scrolled out of sight).
        chosen = compare_picker(entries)
        if len(chosen) < 2:
            st.caption("Pick at least two runs to compare.")
        else:
            problem = history.comparable(chosen)
            if problem:
                st.warning(problem, icon=":material/warning:")
            else:
                compare_views(chosen)
        history_table()
        with st.container(border=True):
            actions(entries)
    downloads.link_note()
