"""AppTest fixtures and helpers for the Streamlit app (no browser).

- ``app``: a fresh, not yet run ``AppTest`` of app.py (set ``at.query_params`` first if needed),
  with ``st.cache_data`` (and ``st.cache_resource``, which holds figures) cleared so no test sees
  another's cached runs.
- Plotly figures are read back from the element protos: ``chart(at, "boundary_chart")`` gives the
  figure dict of the chart drawn with ``key="boundary_chart"``; ``values()`` decodes plotly's
  typed arrays (``{"dtype", "bdata", "shape"}``) into numpy.
- ``goto(at, "train")`` switches page and asserts the page rendered cleanly.

AppTest quirk worked around here: AppTest resets ``PagesManager.uses_pages_directory`` before
every run, and because a ``pages/`` folder sits next to app.py every run after the first then takes
the legacy multipage path, which executes the page file alone (no app.py: no ``state.init()``, no
sidebar). The real server takes the ``st.navigation`` path on every run; so do these tests.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pytest
import streamlit as st
import streamlit.testing.v1.app_test as _app_test_module
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TIMEOUT = 60

SORRY = "Sorry, something went wrong"


class _NavigationPagesManager(PagesManager):
    """PagesManager that never takes the legacy ``pages/`` directory path (see module doc)."""

    def __init__(self, *args, **kwargs):
        PagesManager.uses_pages_directory = False
        super().__init__(*args, **kwargs)


@pytest.fixture(autouse=True, scope="session")
def _navigation_path():
    saved = _app_test_module.PagesManager
    _app_test_module.PagesManager = _NavigationPagesManager
    yield
    _app_test_module.PagesManager = saved


@pytest.fixture
def concurrent_apptest(monkeypatch):
    """Make the AppTest harness (not the app) safe for several runs at once in threads.

    AppTest is written for one run at a time. Per run it (1) sets the global
    ``Runtime._instance`` to a mock and back to None at the end: another thread's running script
    then finds no runtime; (2) patches ``config.get_option`` to say "global.appTest" and restores
    it at the end: nested in threads, the patches unwind in the wrong order and a running script
    loses the flag (selectboxes then skip registering their format_func: KeyError); (3) compiles
    the page files afresh: concurrent ``ast.parse`` trips a CPython 3.11 race ("AST constructor
    recursion depth mismatch"). Here the last mock runtime stays available (the real server has
    one Runtime), the flag is set once for the whole test, and all runs share one script cache
    (as the real server's do). The app's own code still runs concurrently.
    """
    import contextlib

    from streamlit import config
    from streamlit.runtime.runtime import Runtime
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    import streamlit.testing.v1.local_script_runner as local_runner
    from streamlit.testing.v1.util import build_mock_config_get_option

    last = {}

    def instance(cls):
        current = cls._instance
        if current is not None:
            last["runtime"] = current
            return current
        if "runtime" not in last:
            raise RuntimeError("Runtime hasn't been created!")
        return last["runtime"]

    def exists(cls):
        return cls._instance is not None or "runtime" in last

    shared_cache = ScriptCache()
    monkeypatch.setattr(Runtime, "instance", classmethod(instance))
    monkeypatch.setattr(Runtime, "exists", classmethod(exists))
    monkeypatch.setattr(local_runner, "ScriptCache", lambda: shared_cache)
    monkeypatch.setattr(_app_test_module, "ScriptCache", lambda: shared_cache)
    monkeypatch.setattr(config, "get_option",
                        build_mock_config_get_option({"global.appTest": True}))
    monkeypatch.setattr(_app_test_module, "patch_config_options",
                        lambda overrides: contextlib.nullcontext())
    yield


# Settings (ui/state.py) of expanders whose charts are drawn only while open.
OPEN_PANELS = ("train_curves", "threshold_curves", "train_files")


@pytest.fixture(autouse=True)
def train_curves_open(monkeypatch):
    """Train's accuracy and weights charts and Threshold's "More curves" are drawn only while
    their expander (the settings ``OPEN_PANELS``) is open, which a user does by a click; most
    tests read those charts, so here the settings default to open (the closed pages are checked
    with ``?train_curves=False`` / ``?threshold_curves=False``)."""
    from ui import state

    opened = {name: dataclasses.replace(state.BY_NAME[name], default=True)
              for name in OPEN_PANELS}
    monkeypatch.setattr(state, "SETTINGS", tuple(opened.get(s.name, s) for s in state.SETTINGS))
    for name, setting in opened.items():
        monkeypatch.setitem(state.BY_NAME, name, setting)


def new_app(page: str = "data") -> AppTest:
    """A fresh, not yet run AppTest of app.py (for tests that need several sessions).

    Its first run draws ``page`` (default: the Data page, where most tests start; the app's own
    first page is the home page, ``page="home"``)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if page != "home":
        at.switch_page(PAGES.get(page, page))
    return at


def clear_caches() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def app() -> AppTest:
    clear_caches()
    yield new_app()
    clear_caches()


# ------------------------------------------------------------------------------------------------
# Pages and status
# ------------------------------------------------------------------------------------------------

PAGES = {name: f"pages/{name}.py"
         for name in ("home", "data", "train", "threshold", "multiclass", "compare", "about")}


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    assert not errors, errors + [c.value[-800:] for c in at.get("code")]


def goto(at: AppTest, page: str, *, clean: bool = True) -> AppTest:
    at.switch_page(PAGES.get(page, page)).run()
    if clean:
        assert_clean(at)
    return at


def state(at: AppTest, name: str):
    """The durable value of a setting (``s_<name>``)."""
    return at.session_state[f"s_{name}"]


def upload(at: AppTest, name: str, content: bytes, mime: str = "text/csv") -> AppTest:
    """Choose "Upload a CSV" on the Data page (if needed) and upload ``content``."""
    if state(at, "source") != "upload":
        at.radio(key="w_source").set_value("upload").run()
    at.get("file_uploader")[0].set_value((name, content, mime)).run()
    return at


# ------------------------------------------------------------------------------------------------
# Plotly figures
# ------------------------------------------------------------------------------------------------

def _element_key(element) -> str:
    # Element ids of keyed elements end with "-<user key>" ("$$ID-<hash>-boundary_chart").
    return element.proto.id.split("-", 2)[-1] if element.proto.id.startswith("$$ID-") else ""


def chart_elements(at: AppTest) -> list:
    return list(at.get("plotly_chart"))


def charts(at: AppTest) -> dict:
    """Figure dicts of every keyed plotly chart on the page, by key."""
    return {_element_key(el): json.loads(el.proto.spec) for el in chart_elements(at)
            if _element_key(el)}


def chart(at: AppTest, key_or_index) -> dict:
    """The figure dict of one plotly chart, by its ``key=`` or by its position on the page."""
    elements = chart_elements(at)
    if isinstance(key_or_index, int):
        return json.loads(elements[key_or_index].proto.spec)
    for el in elements:
        if _element_key(el) == key_or_index:
            return json.loads(el.proto.spec)
    raise KeyError(f"no plotly chart with key {key_or_index!r}; "
                   f"keys: {[_element_key(e) for e in elements]}")


def values(v) -> np.ndarray:
    """A plotly data array (plain list or base64 typed array) as a numpy array."""
    if isinstance(v, dict) and "bdata" in v:
        arr = np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"]))
        shape = v.get("shape")
        if shape is not None:
            arr = arr.reshape([int(s) for s in str(shape).split(",")])
        return arr
    return np.asarray(v)


def trace(fig: dict, name_start: str, *, kind: str | None = None) -> dict:
    """The first trace whose name starts with ``name_start`` (and of type ``kind``)."""
    for t in fig["data"]:
        if str(t.get("name", "")).startswith(name_start) and kind in (None, t["type"]):
            return t
    raise KeyError(f"no trace {name_start!r}; traces: {[t.get('name') for t in fig['data']]}")


def traces_of(fig: dict, kind: str) -> list:
    return [t for t in fig["data"] if t["type"] == kind]


def title(fig: dict) -> str:
    t = fig["layout"].get("title", {})
    return t.get("text", "") if isinstance(t, dict) else str(t)


def subtitle(fig: dict) -> str:
    """The subtitle as read: its lines (long subtitles are wrapped with <br>) joined by spaces."""
    t = fig["layout"].get("title", {})
    text = t.get("subtitle", {}).get("text", "") if isinstance(t, dict) else ""
    return text.replace("<br>", " ")


def annotation_texts(fig: dict) -> list:
    return [a.get("text", "") for a in fig["layout"].get("annotations", [])]


def replay_picture(fig: dict, source: str | None = None):
    """The training replay's probability picture (``layout.images[0]`` or a frame's ``source``):
    ``(percent, line)``, both (ny, nx) with row 0 at the grid's first y; ``percent`` is the
    palette index (p in whole percent) and ``line`` marks the cells drawn as the boundary."""
    from logreg._png import read_palette_png
    from logreg.replay_figure import LINE_INDEX

    source = source or fig["layout"]["images"][0]["source"]
    idx, _ = read_palette_png(base64.b64decode(source.split(",", 1)[1]))
    idx = idx[::-1]
    return idx, idx == LINE_INDEX


def contour_level(fig: dict) -> float:
    """The single level of the boundary figure's ``p = threshold`` line.

    Replay figure (the line is drawn into its picture): the level its legend names, checked
    against the picture: every line cell has neighbours on both sides of that level.
    """
    if not traces_of(fig, "contour") and fig["layout"].get("images"):
        from logreg._figure_style import fmt_p

        (legend,) = [t for t in fig["data"] if str(t.get("name", "")).endswith(" boundary")]
        meta = legend["meta"]  # a one-item list in the chart sent (ui/chart_look.py)
        level = (meta[0] if isinstance(meta, list) else meta)["level"]
        assert legend["name"] == f"p = {fmt_p(level)} boundary"
        percent, line = replay_picture(fig)
        pct = np.where(line, np.nan, percent.astype(float))
        r = 3  # the line is about two cells wide: look three cells around each line cell
        padded = np.pad(pct, r, constant_values=np.nan)
        ny, nx = pct.shape
        near = np.stack([padded[r + dy:r + dy + ny, r + dx:r + dx + nx]
                         for dy in range(-r, r + 1) for dx in range(-r, r + 1)])
        with np.errstate(invalid="ignore"):
            low = np.nanmin(near, axis=0)[line]
            high = np.nanmax(near, axis=0)[line]
        ok = (low <= level * 100 + 1) & (high >= level * 100 - 1)
        assert ok.all(), ok.mean()
        if not line.any():  # no line: the whole picture is on one side of the level
            assert (percent <= level * 100 + 1).all() or (percent >= level * 100 - 1).all()
        return level
    (contour,) = traces_of(fig, "contour")
    levels = contour["contours"]
    assert levels["start"] == levels["end"], levels
    return levels["start"]


def heatmap_z(fig: dict) -> np.ndarray:
    """p(class 1) on the boundary grid (the heatmap draws it in whole percent; the replay's
    picture too, with its boundary-line cells read as the threshold itself)."""
    if not traces_of(fig, "heatmap") or fig["layout"].get("images"):
        percent, line = replay_picture(fig)
        return np.where(line, contour_level(fig), percent / 100.0)
    (heat,) = traces_of(fig, "heatmap")
    return values(heat["z"]).astype(float) / 100.0


def weights(fig: dict) -> dict:
    """Feature name -> weight from the coefficient bar chart (bars plus the exact-zero markers)."""
    out = {}
    for t in fig["data"]:
        names = values(t["y"]).tolist()
        ws = values(t["x"]).astype(float).tolist()
        out.update(zip(names, ws))
    return out


def bad_numbers(obj, path="fig") -> list:
    """Paths of every NaN/inf in a figure dict: plain floats, typed arrays, and nulls inside
    trace coordinate arrays (plotly writes NaN as null in plain lists)."""
    found = []
    if isinstance(obj, dict):
        if "bdata" in obj and "dtype" in obj:
            arr = values(obj)
            if arr.dtype.kind == "f" and not np.isfinite(arr).all():
                found.append(f"{path}: {int((~np.isfinite(arr)).sum())} non-finite")
            return found
        for k, v in obj.items():
            if k in ("x", "y", "z") and isinstance(v, list):
                flat = np.array(v, dtype=object).ravel().tolist()
                if any(e is None for e in flat) and any(isinstance(e, (int, float)) for e in flat):
                    found.append(f"{path}.{k}: null among numbers")
            found += bad_numbers(v, f"{path}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            found += bad_numbers(v, f"{path}[{i}]")
    elif isinstance(obj, float) and not math.isfinite(obj):
        found.append(path)
    return found


def metric_value(at: AppTest, label: str) -> str:
    for m in at.metric:
        if m.label == label:
            return m.value
    raise KeyError(f"no metric {label!r}; metrics: {[m.label for m in at.metric]}")


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


# ------------------------------------------------------------------------------------------------
# Independent reference: the same run, built straight from logreg with the session's settings
# ------------------------------------------------------------------------------------------------

def reference_dataset(at: AppTest):
    from logreg import data as lrdata

    if state(at, "source") == "builtin":
        return lrdata.load_builtin(state(at, "builtin"))
    if state(at, "source") == "upload":
        return at.session_state["upload_dataset"]
    kind = state(at, "kind")
    n_classes = state(at, "n_classes") if kind in lrdata.MULTICLASS_KINDS else 2
    balance = state(at, "balance")
    return lrdata.make_dataset(
        kind, n_samples=state(at, "n_samples"), noise=state(at, "noise"), n_classes=n_classes,
        class_balance=None if n_classes != 2 or balance == 0.5 else balance,
        random_state=state(at, "data_seed"))


def reference_settings(at: AppTest, **changes):
    from logreg.pipeline import TrainSettings

    batch = state(at, "batch_size")
    settings = dict(
        learning_rate=state(at, "learning_rate"), epochs=state(at, "epochs"),
        batch_size=None if batch == 0 else batch, solver=state(at, "solver"),
        penalty=state(at, "penalty"), reg_strength=state(at, "reg_strength"),
        l1_ratio=state(at, "l1_ratio"), degree=state(at, "degree"), init=state(at, "init"),
        seed=state(at, "train_seed"), standardize=state(at, "standardize"),
        stop_early=state(at, "stop_early"))
    settings.update(changes)
    return TrainSettings(**settings)


def reference_run(at: AppTest, **changes):
    """The binary run the Train and Threshold pages should be showing, trained from scratch."""
    from logreg import data as lrdata
    from logreg import pipeline

    ds = reference_dataset(at)
    train, test = lrdata.train_test_split(ds, test_size=state(at, "test_size"),
                                          random_state=state(at, "data_seed"))
    names = list(ds.class_names)
    positive = names.index(state(at, "positive")) if state(at, "positive") in names \
        else len(names) - 1
    return pipeline.fit_binary(
        train.X, train.y, None if test is None else test.X, None if test is None else test.y,
        feature_names=ds.feature_names, class_names=ds.class_names,
        settings=reference_settings(at, **changes), positive=positive, drawn=(0, 1))
