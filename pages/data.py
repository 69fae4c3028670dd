"""Data page: generate, pick a built-in set, or upload a CSV; split and preview."""

import pandas as pd
import streamlit as st

from logreg import decisions, figures
from logreg.runs import binary_labels
from logreg.data import DATASET_KINDS, MULTICLASS_KINDS, describe
from ui import compute, data_source, doors, glossary, pickers, presentation, state
from ui.errors import guard

KIND_WORDS = {
    "blobs": "blobs: round clouds, one per class",
    "moons": "moons: two interleaving half circles",
    "circles": "circles: a ring around a disc",
    "xor": "XOR: four corners, opposite ones alike",
    "spiral": "spiral: arms winding around the centre",
    "linear": "linear: two classes split by a straight line",
}
BUILTIN_WORDS = {
    "breast_cancer": "breast cancer (569 tumours, 30 measurements, malignant or benign)",
    "iris": "iris (150 flowers, 4 measurements, 3 species)",
    "wine": "wine (178 wines, 13 measurements, 3 cultivars)",
}
# tests/app/test_decisions_page.py checks it: nothing written to disk, no other session sees it.
UPLOAD_HELP = ("Files up to {limit} MB. The file is sent to the server running this app (your own "
               "computer if you started the app yourself) and read there in memory: it is never "
               "written to disk and other browser sessions cannot see it. It is kept for this "
               "browser session only; results computed from it stay in the server's memory cache, "
               "reachable only with the same file, until newer results replace them.")
SOURCE_WORDS = {"generate": "Generate toy data", "builtin": "Built-in data set",
                "upload": "Upload a CSV"}


# The scatter's height (px): under the title and the source row it fits the first screen at
# 1280x720 with the sidebar open (tests/e2e/test_layout.py).
SCATTER_HEIGHT = 440


def upload_limit_mb() -> int:
    return int(st.get_option("server.maxUploadSize"))


def generator_controls(shape_slot):
    # The shape in the row over the plot; in the narrow column beside it the size full width,
    # then two columns.
    c1 = st.container()
    c2, c3 = st.columns(2)
    shape_slot.selectbox("Shape", DATASET_KINDS, format_func=KIND_WORDS.get,
                 help=glossary.tip("Which pattern the points follow. Circles and XOR cannot be split by a "
                      "straight line: try polynomial terms on the Train page."), **state.bind("kind"))
    points = state.BY_NAME["n_samples"]  # one range: the settings table's (links use it too)
    c1.slider("Number of points", points.lo, points.hi, step=10,
              help=glossary.tip("More points make smoother results and slower training."),
              **state.bind("n_samples"))
    c2.slider("Noise", 0.0, 1.0, step=0.05,
              help=glossary.tip("How much the classes overlap. 0 = perfectly clean shapes."),
              **state.bind("noise"))
    multi = state.get("kind") in MULTICLASS_KINDS
    c2.slider("Classes", 2, 8, disabled=not multi,
              help=glossary.tip("Blobs and spirals can have 3 to 8 classes (see the Multiclass page); the other "
                   "shapes have two."), **state.bind("n_classes"))
    c3.slider("Share of the last class", 0.05, 0.95, step=0.05,
              disabled=state.get("n_classes") != 2 and multi,
              help=glossary.tip("0.5 = balanced. Small values make an imbalanced problem, where the default "
                   "threshold of 0.5 misses most of the rare class."), **state.bind("balance"))
    c3.number_input("Random seed", 0, 999_999, step=1,
                    help=glossary.tip("The same seed always gives the same points (it is in the page link, so "
                         "a shared link shows the same data)."), **state.bind("data_seed"))


def upload_controls():
    limit = upload_limit_mb()
    st.caption(f"A table with a header row and one column of classes (the last column unless you "
               f"pick another). Comma, semicolon, tab or | separated. Limit {limit} MB per file.")
    # No type filter: a wrong file gets our own message saying what it is and what to do,
    # instead of the uploader's silent red mark.
    file = st.file_uploader("CSV file", key="upload_file", help=glossary.tip(UPLOAD_HELP.format(limit=limit)))
    if file is None:
        if data_source.UPLOAD_KEY in st.session_state:
            st.caption(f"Using the file uploaded earlier: "
                       f"{st.session_state[data_source.UPLOAD_KEY].name}.")
        return
    content = file.getvalue()
    columns = data_source.upload_columns(content)
    target = None
    if columns:
        default_target = st.session_state.get("upload_target")
        index = columns.index(default_target) if default_target in columns else len(columns) - 1
        target = st.selectbox("Column with the classes (target)", columns, index=index,
                              help=glossary.tip("What the model should predict. It needs 2 to 20 classes."))
        st.session_state["upload_target"] = target
    try:
        dataset = data_source.parse_upload(content, file.name, target)
    except ValueError as exc:  # DataError: says what is wrong and what to do
        st.error(str(exc), icon=":material/warning:")
        previous = st.session_state.get(data_source.UPLOAD_KEY)
        if previous is not None:
            st.caption(f"Still using the data loaded before: **{previous.name}**.")
        return
    st.session_state[data_source.UPLOAD_KEY] = dataset
    st.session_state[data_source.UPLOAD_NAME_KEY] = file.name
    # What the pages use: after a column is left out the file may give more rows (see
    # data_source.upload_without).
    st.success(f"Loaded **{file.name}**: {describe(data_source.current_dataset())}.")


def class_line(dataset) -> str:
    """Each class's share, and which class the binary pages treat as positive."""
    shares = decisions.class_shares(dataset.y, dataset.n_classes)
    parts = ", ".join(f"'{name}' {count:,} ({share:.1%})" for name, count, share
                      in zip(dataset.class_names, dataset.class_counts, shares))
    positive = dataset.class_names[data_source.positive_code(dataset)]
    return (f"Classes: {parts}. The Train and Threshold pages treat **'{positive}'** as the "
            "positive class: the one a threshold tries to catch.")


def feature_picker(full):
    """Which features to leave out (the ``features_out`` setting; default: use them all)."""
    if full.n_features < 2:
        return
    names = list(full.feature_names)
    chosen = [n for n in data_source.features_out() if n in names]
    key = "data_features_out"
    if st.session_state.get(key) != chosen:
        st.session_state[key] = chosen

    def changed():
        picked = st.session_state[key][: len(names) - 1]  # at least one feature stays
        state.put("features_out", ",".join(picked))

    st.multiselect("Features to leave out", names, key=key, on_change=changed,
                   max_selections=len(names) - 1, placeholder="None: the model uses every feature",
                   help=glossary.tip("Leave out a column the model should not use, such as one that gives the "
                        "answer away. The choice is in the page link."))
    used = data_source.current_dataset()
    if state.get("source") == "upload" and any(n.startswith("Dropped ") for n in used.notes):
        st.caption("Rows with an empty cell in a column the model uses are dropped. Leaving out "
                   "a column with many empty cells keeps those rows.")


def positive_picker(full):
    """Which class the binary pages try to catch (the ``positive`` setting), for any data with
    classes: with two classes this is the only place to choose it (default: the last class)."""
    names = [str(c) for c in full.class_names]
    if len(names) < 2:
        return
    key = "data_positive"
    shown = names[data_source.positive_code(full)]
    if st.session_state.get(key) != shown:
        st.session_state[key] = shown

    def changed():
        state.put("positive", st.session_state[key])

    st.selectbox("Positive class (the one to catch)", names, key=key, on_change=changed,
                 help=glossary.tip("The class a threshold tries to catch: the defaults, the "
                      "churners, the sick. TPR, precision and every rule on the Threshold page "
                      "are about this class."))


def leak_warning(dataset):
    """Name every feature that alone (nearly) separates the classes, offering to leave it out."""
    for leak in compute.leaks(dataset.content_hash, dataset):
        if leak.pairwise:
            how = (f"'{leak.name}' alone tells every class apart almost perfectly: for each pair "
                   f"of classes, its values rank the rows of the two classes apart "
                   f"{leak.separation:.1%} of the time or more.")
        else:
            positive = dataset.class_names[1]
            direction = "higher" if leak.auc >= 0.5 else "lower"
            how = (f"'{leak.name}' alone separates the classes almost perfectly: a random "
                   f"'{positive}' row has a {direction} '{leak.name}' than a random "
                   f"'{dataset.class_names[0]}' row {leak.separation:.1%} of the time (its own "
                   f"AUC is {leak.auc:.3f}).")
        st.warning(how + " A column like this may give the answer away: known only after the "
                   "fact, or computed from the class. The model then looks perfect here and fails "
                   "on new data. Leave it out unless it will really be known when you predict.",
                   icon=":material/key:")
        st.button(f"Leave out '{leak.name}'", key=f"leave_out_{leak.index}",
                  on_click=leave_out, args=(leak.name,), icon=":material/visibility_off:")


def leave_out(name):
    state.put("features_out", ",".join(data_source.features_out() + [name]))


def preview(dataset, plot_column, side_column):
    """The scatter (and its axis pickers, notes and class line) in ``plot_column``; the table of
    rows in ``side_column``, under the controls."""
    with plot_column:
        plot_box = st.container()
        drawn = data_source.drawn_features(dataset)
        if dataset.n_features >= 2:
            if dataset.n_features > 2:
                pickers.axis_pickers(dataset, drawn, "data")
                drawn = data_source.drawn_features(dataset)
            y, names = dataset.y, dataset.class_names
            if dataset.n_classes == 2:
                # Coded as on the binary pages (the positive class is class 1), so each class has
                # the colour here that it has on Train and Threshold.
                y, names = binary_labels(y, names, data_source.positive_code(dataset))
            fig = figures.scatter_figure(dataset.X[:, list(drawn)], y, names,
                                         [dataset.feature_names[i] for i in drawn],
                                         title=f"{dataset.name}: each dot is one sample")
            presentation.chart(fig, key="data_chart", where=plot_box, height=SCATTER_HEIGHT)
        else:
            plot_box.info("This table has a single feature, so there is no plane to draw.")
        for note in dataset.notes:
            st.info(note, icon=":material/info:")
        st.markdown(class_line(dataset))
        leak_warning(dataset)
    with side_column:
        st.markdown(f"**{dataset.name}**: {describe(dataset)}")
        frame = pd.DataFrame(dataset.X[:200], columns=list(dataset.feature_names))
        frame.insert(0, "class", [dataset.class_names[c] for c in dataset.y[:200]])
        st.dataframe(frame, height=420, width="stretch", hide_index=True)
        if dataset.n_samples > 200:
            st.caption(f"The first 200 of {dataset.n_samples:,} rows.")


st.title("Data")
st.write("Choose what the model learns from: generate a toy shape, use a classic data set, or "
         "upload your own CSV. Every other page uses the data chosen here.")

# Plot-first (issue 13): the source and its main choice in one row, then the data's scatter on
# the left of the first screen and the other controls in a column beside it.
source_column, pick_column = st.columns([1, 1.1], vertical_alignment="bottom")
source_column.radio("Source", list(SOURCE_WORDS), format_func=SOURCE_WORDS.get,
                    horizontal=True, help=glossary.tip("Toy shapes are best for watching the "
                    "boundary move; your own CSV for real use."), **state.bind("source"))
plot_column, side_column = st.columns([3, 2], gap="medium")

with side_column.container(border=True):
    with guard("reading the data"):
        if state.get("source") == "generate":
            generator_controls(pick_column)
        elif state.get("source") == "builtin":
            pick_column.selectbox("Data set", list(BUILTIN_WORDS), format_func=BUILTIN_WORDS.get,
                         help=glossary.tip("Classic data sets that ship with scikit-learn."),
                         **state.bind("builtin"))
        else:
            upload_controls()
        full = data_source.full_dataset()
        if full is not None:
            positive_picker(full)  # the target picker's neighbours
            feature_picker(full)
    c1, c2 = st.container(), st.container()  # one under the other: the column is narrow
    c1.toggle("Standardize features", help=glossary.tip("Rescale every feature to mean 0 and spread 1 "
              "(using the training part only). Gradient descent needs this when features have "
              "very different ranges."), **state.bind("standardize"))
    c2.slider("Test share", 0.0, 0.5, step=0.05,
              help=glossary.tip("Part of the data held back to check the model on points it never saw. "
                   "0 trains on everything (then there are no test scores)."),
              **state.bind("test_size"))

with guard("preparing the data"):
    with plot_column:
        dataset = data_source.require_dataset(on_data_page=True)
    if dataset is not None:
        with side_column:
            train, test = data_source.current_split(dataset)
            n_test = 0 if test is None else test.n_samples
            st.caption(f"Split: {train.n_samples:,} training rows and {n_test:,} test rows "
                       "(each class keeps its share in both).")
            doors.next_step(dataset)
        preview(dataset, plot_column, side_column)
