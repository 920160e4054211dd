"""The data sets: the book's exact spiral, the generators' contract, load_points on good and bad CSVs, and the
surfaces a regression fits."""

import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib.datasets import (
    FEATURES,
    GENERATORS,
    MAX_CLASSES,
    MAX_ROWS,
    REGRESSIONS,
    input_features,
    load_points,
    make_spiral,
    spiral,
    surfaces,
    train_size,
    train_test_split,
)
from nnlib.datasets.points import MAX_BYTES, MAX_LINES

TWO_CLASSES_ONLY = ("xor", "moons", "sine", "cubic", "abs")
CURVES = {  # the formulas' boundaries: class 1 above, class 0 below
    "sine": lambda x1: 0.5 * np.sin(np.pi * x1),
    "cubic": lambda x1: 2 * x1**3 - 1.5 * x1,
    "abs": lambda x1: np.abs(x1) - 0.5,
}
CLASSES_OF = {name: (2 if name in TWO_CLASSES_ONLY else 3) for name in GENERATORS}


def generate(name, **kwargs):
    """Call a generator, passing ``classes`` only to those that take it."""
    if name not in TWO_CLASSES_ONLY:
        kwargs.setdefault("classes", CLASSES_OF[name])
    return GENERATORS[name](**kwargs)


def assert_valid_data_set(x, t, points, classes):
    assert x.dtype == np.float64 and x.shape == (points, 2)
    assert np.issubdtype(t.dtype, np.integer) and t.shape == (points, classes)
    assert set(np.unique(t)) <= {0, 1} and (t.sum(axis=1) == 1).all()
    assert np.isfinite(x).all()


# --- the book's spiral ---------------------------------------------------------------------------------


def book_spiral(rng):
    """The book's ``dataset/spiral.py`` loop, drawing from ``rng`` instead of the global generator."""
    N, C = 100, 3
    x = np.zeros((N * C, 2))
    t = np.zeros((N * C, C), dtype=int)
    for j in range(C):
        for i in range(N):
            rate = i / N
            radius = 1.0 * rate
            theta = j * 4.0 + 4.0 * rate + rng.randn() * 0.2
            x[N * j + i] = np.array([radius * np.sin(theta), radius * np.cos(theta)]).flatten()
            t[N * j + i, j] = 1
    return x, t


def test_load_data_has_the_books_known_values():
    x, t = spiral.load_data()
    assert x[299].tolist() == [-0.5974310265949212, 0.7894150799558737]
    assert x.sum() == -13.916731190759947
    assert_valid_data_set(x, t, points=300, classes=3)
    assert (t.argmax(axis=1) == np.repeat([0, 1, 2], 100)).all()


@pytest.mark.parametrize("seed", [1984, 7])
def test_load_data_equals_the_books_loop_bit_for_bit(seed):
    x, t = spiral.load_data(seed=seed)
    expected_x, expected_t = book_spiral(np.random.RandomState(seed))
    assert np.array_equal(x, expected_x)
    assert np.array_equal(t, expected_t)


def test_global_rng_leaves_numpys_generator_where_the_books_load_data_does():
    """A book script's next draws (its unseeded TwoLayerNet's weights) are the book's."""
    np.random.seed(1984)
    expected_x, _ = book_spiral(np.random)  # the book's load_data(): np.random.seed(1984), then its loop
    expected_next = np.random.randn(4)
    np.random.seed(0)
    x, _ = spiral.load_data(global_rng=True)
    assert np.array_equal(x, expected_x)
    assert np.array_equal(np.random.randn(4), expected_next)


def test_vectorised_draws_are_the_same_stream_as_one_draw_per_point():
    rng = np.random.RandomState(1984)
    one_by_one = [rng.randn() for _ in range(300)]
    assert np.array_equal(np.random.RandomState(1984).randn(3, 100).ravel(), one_by_one)


# --- the generators -----------------------------------------------------------------------------------


def test_generators_are_listed_by_name():
    assert list(GENERATORS) == ["spiral", "circle", "xor", "gaussian", "moons", "sine", "cubic", "abs"]
    assert MAX_CLASSES == 10 and MAX_ROWS == 100_000


@pytest.mark.parametrize("name", GENERATORS)
def test_generator_gives_n_points_per_class_as_one_hot_rows(name):
    classes = CLASSES_OF[name]
    x, t = generate(name, n=37, seed=0)
    assert_valid_data_set(x, t, points=37 * classes, classes=classes)
    assert t.sum(axis=0).tolist() == [37] * classes
    assert (t.argmax(axis=1) == np.repeat(np.arange(classes), 37)).all()


@pytest.mark.parametrize("name", GENERATORS)
def test_generator_stays_roughly_within_the_unit_square(name):
    x, _ = generate(name, n=500, seed=0)
    assert np.abs(x).max() < 1.5
    assert np.percentile(np.abs(x), 95) <= 1.0


@pytest.mark.parametrize("name", [*GENERATORS, "load_data"])
def test_global_random_state_is_untouched(name):
    np.random.seed(0)
    before = np.random.get_state()
    if name == "load_data":
        spiral.load_data()
    else:
        generate(name, seed=3)
        generate(name)
    after = np.random.get_state()
    assert before[0] == after[0] and np.array_equal(before[1], after[1]) and before[2:] == after[2:]


@pytest.mark.parametrize("name", GENERATORS)
def test_a_seed_fixes_the_data_and_other_seeds_change_it(name):
    x, t = generate(name, seed=5)
    same_x, same_t = generate(name, seed=5)
    other_x, _ = generate(name, seed=6)
    assert np.array_equal(x, same_x) and np.array_equal(t, same_t)
    assert not np.array_equal(x, other_x)
    assert not np.array_equal(generate(name)[0], generate(name)[0])


@pytest.mark.parametrize("classes", [2, 5, MAX_CLASSES])
def test_make_spiral_has_the_asked_number_of_arms(classes):
    _, t = make_spiral(n=20, classes=classes, seed=0)
    assert t.shape == (20 * classes, classes) and t.sum(axis=0).tolist() == [20] * classes


def test_make_spiral_without_noise_spreads_its_arms_evenly():
    x, _ = make_spiral(n=10, classes=4, noise=0.0)
    first_points_of_arms = x[[1, 11, 21, 31]]  # radius 0.1, angles 0.4 + a quarter turn apart
    angles = np.arctan2(first_points_of_arms[:, 0], first_points_of_arms[:, 1])
    assert np.allclose(np.diff(np.unwrap(angles)), np.pi / 2)


@pytest.mark.parametrize("classes", [2, 4])
def test_make_circle_puts_class_j_in_ring_j(classes):
    x, t = GENERATORS["circle"](n=200, classes=classes, noise=0.0, seed=0)
    ring = np.floor(np.hypot(x[:, 0], x[:, 1]) * classes)
    assert (ring == t.argmax(axis=1)).all()


def test_make_xor_puts_the_classes_in_alternating_quadrants():
    x, t = GENERATORS["xor"](n=200, noise=0.0, seed=0)
    assert ((x[:, 0] * x[:, 1] < 0) == t.argmax(axis=1).astype(bool)).all()
    assert np.abs(x).min() >= 0.1
    assert len({tuple(q) for q in np.sign(x).tolist()}) == 4


def test_make_gaussian_clusters_around_separate_centres():
    x, t = GENERATORS["gaussian"](n=500, classes=4, noise=0.05, seed=0)
    centres = np.array([x[t[:, j] == 1].mean(axis=0) for j in range(4)])
    assert np.allclose(np.hypot(centres[:, 0], centres[:, 1]), 0.6, atol=0.02)
    assert np.allclose(x[t[:, 0] == 1].std(axis=0), 0.05, atol=0.01)


def test_make_moons_interleave_inside_the_unit_square():
    x, t = GENERATORS["moons"](n=100, noise=0.0, seed=0)
    assert x.min() == pytest.approx(-1.0) and x.max() == pytest.approx(1.0)
    upper, lower = x[t[:, 0] == 1], x[t[:, 1] == 1]
    assert upper[:, 1].min() >= lower[:, 1].min() and upper[:, 1].max() > lower[:, 1].max()


@pytest.mark.parametrize("name", CURVES)
def test_a_formulas_classes_are_the_sides_of_its_curve_before_the_jitter(name):
    x, t = GENERATORS[name](n=500, noise=0.0, seed=0)
    above = x[:, 1] > CURVES[name](x[:, 0])
    assert (above == t.argmax(axis=1).astype(bool)).all()
    assert x.min() >= -1.0 and x.max() <= 1.0
    # x1 spread over the whole width on both sides: no side is a sliver of the square
    for side in (x[above], x[~above]):
        assert np.histogram(side[:, 0], bins=4, range=(-1, 1))[0].min() > 0.15 * len(side)


@pytest.mark.parametrize("name", CURVES)
def test_a_formulas_jitter_moves_points_across_its_curve_as_the_noise_grows(name):
    crossed = []
    for noise in (0.05, 0.2):
        x, t = GENERATORS[name](n=500, noise=noise, seed=0)
        wrong_side = (x[:, 1] > CURVES[name](x[:, 0])) != t.argmax(axis=1).astype(bool)
        crossed.append(wrong_side.mean())
    assert 0 < crossed[0] < 0.05 and crossed[0] < crossed[1] < 0.25


@pytest.mark.parametrize("name", GENERATORS)
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 0}, "n .points per class. must be"),
        ({"n": 2.5}, "n .points per class. must be"),
        ({"noise": -0.1}, "noise must be a finite number >= 0"),
        ({"noise": float("nan")}, "noise must be a finite number >= 0"),
        ({"noise": float("inf")}, "noise must be a finite number >= 0"),
    ],
)
def test_generator_refuses_bad_arguments(name, kwargs, message):
    with pytest.raises(ValueError, match=message):
        generate(name, **kwargs)


@pytest.mark.parametrize("name", ["spiral", "circle", "gaussian"])
@pytest.mark.parametrize("classes", [1, MAX_CLASSES + 1, 2.0])
def test_generator_refuses_a_bad_number_of_classes(name, classes):
    with pytest.raises(ValueError, match=f"classes must be a whole number from 2 to {MAX_CLASSES}"):
        generate(name, classes=classes)


# --- load_points: good files --------------------------------------------------------------------------

GOOD_ROWS = "0.5,-0.25,0\n-1,2,1\n3e-1,0.75,2\n"
GOOD_X = [[0.5, -0.25], [-1.0, 2.0], [0.3, 0.75]]
GOOD_T = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]


def load_text(text):
    return load_points(io.BytesIO(text.encode("utf-8")))


def assert_good_points(x, t):
    assert x.dtype == np.float64 and x.tolist() == GOOD_X
    assert np.issubdtype(t.dtype, np.integer) and t.tolist() == GOOD_T


@pytest.mark.parametrize(
    "text",
    [
        GOOD_ROWS,
        "x1,x2,label\n" + GOOD_ROWS,
        " X1 , x2,LABEL \n" + GOOD_ROWS,
        "\n\nx1,x2,label\n\n" + GOOD_ROWS.replace("\n", "\r\n") + "\n  \n,,\n",
        "label,x2,x1\n0,-0.25,0.5\n1,2,-1\n2.0,0.75,3e-1\n",
        "x1,x2,label\n0.5,-0.25,0.0\n-1,2,1.0\n0.3,0.75,2\n",
        '"x1","x2","label"\n"0.5"," -0.25 ",0\n-1,2,1\n0.3,0.75,2\n',
    ],
    ids=[
        "no header",
        "header",
        "header case and spaces",
        "blank lines",
        "reordered",
        "float labels",
        "quotes",
    ],
)
def test_load_points_reads_good_csv(text):
    assert_good_points(*load_text(text))


def test_load_points_accepts_a_byte_order_mark():
    assert_good_points(*load_points(io.BytesIO(b"\xef\xbb\xbfx1,x2,label\n" + GOOD_ROWS.encode())))


def test_load_points_reads_a_path_as_str_or_pathlike(tmp_path):
    path = tmp_path / "points.csv"
    path.write_text("x1,x2,label\n" + GOOD_ROWS, encoding="utf-8")
    assert_good_points(*load_points(path))
    assert_good_points(*load_points(str(path)))


def test_load_points_sizes_t_by_the_largest_label():
    _, t = load_text("0,0,0\n1,1,4\n")
    assert t.tolist() == [[1, 0, 0, 0, 0], [0, 0, 0, 0, 1]]


def test_load_points_accepts_exactly_max_rows():
    text = "x1,x2,label\n" + "0.5,0.5,0\n0.5,0.5,1\n" * (MAX_ROWS // 2)
    x, t = load_text(text)
    assert x.shape == (MAX_ROWS, 2) and t.shape == (MAX_ROWS, 2)


# --- load_points: bad files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x1,x2\n0,0\n1,1\n", r"missing column\(s\) label.*row 1"),
        ("a,b,c\n0,0,0\n1,1,1\n", r"missing column\(s\) x1, x2, label"),
        ("x1,x2,label\n0,0,0\n1,1\n", r"row 3: missing column\(s\): expected 3 values"),
        ("0,0,0\n1,1\n", r"row 2: missing column\(s\)"),
        ("x1,x2,label\n0,0,0\n1,abc,1\n", "row 3, column x2: expected a number, found 'abc'"),
        ("x1,x2,label\n0,,0\n1,1,1\n", "row 2, column x2: expected a number, found ''"),
        ("x1,x2,label\n0,0,0\n1,1,one\n", "row 3, column label: expected a number, found 'one'"),
        ("x1,x2,label\nnan,0,0\n1,1,1\n", "row 2, column x1: 'nan' is not a finite number"),
        ("x1,x2,label\n0,-inf,0\n1,1,1\n", "row 2, column x2: '-inf' is not a finite number"),
        ("x1,x2,label\n0,1e999,0\n1,1,1\n", "row 2, column x2: '1e999' is not a finite number"),
        ("x1,x2,label\n0,0,0\n1,1,1.5\n", "row 3, column label: a label must be a whole number from 0 to 9"),
        ("x1,x2,label\n0,0,0\n1,1,-1\n", "row 3, column label: a label must be a whole number"),
        ("x1,x2,label\n0,0,0\n1,1,10\n", "row 3, column label: a label must be a whole number from 0 to 9"),
        ("x1,x2,label\n0,0,1\n1,1,1\n", "need at least two classes.*every row has label 1"),
        ("x1,x2,label\n", "need at least two classes.*no data rows"),
        ("x1,x2,x3,label\n0,0,0,0\n", r"row 1: too many columns \(4\)"),
        ("a,b,c,d\n0,0,0\n", r"row 1: too many columns \(4\)"),
        ("0,0,0,0\n1,1,1,1\n", r"row 1: too many columns \(4\)"),
        ("x1,x2,label\n0,0,0\n1,1,1,\n", r"row 3: too many columns \(4\)"),
        ("", "the file is empty"),
        ("\n \n\n", "the file is empty"),
    ],
)
def test_load_points_names_the_problem(text, message):
    with pytest.raises(ValueError, match=message):
        load_text(text)


def test_load_points_refuses_bytes_that_are_not_utf8():
    with pytest.raises(ValueError, match=r"not UTF-8 text \(byte 14"):
        load_points(io.BytesIO(b"x1,x2,label\n0,\xff,0\n"))


def test_a_header_quotes_a_glimpse_of_each_name():
    """A field can be 128 kB long (the csv module's limit): the message shows its start."""
    with pytest.raises(ValueError, match=r"it names 'x1', 'x2', 'y+…' instead") as error:
        load_text("x1,x2," + "y" * 100_000 + "\n0,0,0\n")
    assert len(str(error.value)) < 200


def test_load_points_reads_up_to_max_lines_blank_ones_included():
    points = "x1,x2,label\n0,0,0\n1,1,1\n"
    assert load_text(points + "\n" * (MAX_LINES - 3))[0].shape == (2, 2)
    with pytest.raises(ValueError, match=f"more than {MAX_LINES:,} lines, blank ones included"):
        load_text(points + "\n" * (MAX_LINES - 2))


def test_load_points_stops_reading_after_max_rows():
    rows = "0.5,0.5,0\n" * (MAX_ROWS + 1)
    with pytest.raises(ValueError, match=f"more than {MAX_ROWS:,} data rows"):
        load_text(rows + "this row is never parsed\n")


def test_load_points_refuses_a_file_over_the_size_limit_before_parsing():
    too_big = b"x1,x2,label\n" + b"\xff" * MAX_BYTES  # would fail decoding if it were read as text
    with pytest.raises(ValueError, match="larger than 20 MB"):
        load_points(io.BytesIO(too_big))


def test_load_points_reads_no_further_than_the_size_limit():
    source = io.BytesIO(b"0" * (3 * MAX_BYTES))
    with pytest.raises(ValueError, match="larger than"):
        load_points(source)
    assert source.tell() == MAX_BYTES + 1


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=300),
        st.lists(
            st.lists(
                st.sampled_from(["0", "1", "1.0", "-2.5", "x1", "x2", "label", "", "nan", "a", '"']),
                max_size=5,
            ),
            max_size=8,
        ).map(lambda rows: "\n".join(",".join(row) for row in rows).encode()),
    )
)
def test_load_points_either_returns_points_or_raises_value_error(data):
    try:
        x, t = load_points(io.BytesIO(data))
    except ValueError as error:
        assert str(error)
        return
    assert x.dtype == np.float64 and x.ndim == 2 and x.shape[1] == 2 and np.isfinite(x).all()
    assert t.shape == (len(x), t.shape[1]) and 2 <= t.shape[1] <= MAX_CLASSES
    assert (t.sum(axis=1) == 1).all() and len(np.unique(t.argmax(axis=1))) >= 2


def test_the_split_takes_the_given_share_for_training_and_keeps_one_point_on_each_side():
    assert train_size(300, 80) == 240 and train_size(2, 99) == 1 and train_size(2, 1) == 1
    x, t = spiral.load_data()
    x_train, t_train, x_test, t_test = train_test_split(x, t, 80, seed=1984)
    assert (len(x_train), len(t_train), len(x_test), len(t_test)) == (240, 240, 60, 60)
    together = np.concatenate([np.hstack([x_train, t_train]), np.hstack([x_test, t_test])])
    np.testing.assert_array_equal(np.unique(together, axis=0), np.unique(np.hstack([x, t]), axis=0))
    again = train_test_split(x, t, 80, seed=1984)
    assert all(np.array_equal(a, b) for a, b in zip(again, (x_train, t_train, x_test, t_test)))


def test_input_features_are_columns_in_the_order_asked():
    points = np.array([[1.0, 2.0], [0.5, -1.0]])
    matrix = input_features(points, ["x1·x2", "x1", "sin x2", "x2²"])
    np.testing.assert_array_equal(matrix, [[2.0, 1.0, np.sin(2.0), 4.0], [-0.5, 0.5, np.sin(-1.0), 1.0]])
    assert list(FEATURES) == ["x1", "x2", "x1²", "x2²", "x1·x2", "sin x1", "sin x2"]


# --- surfaces to fit (a regression's data) ----------------------------------------------------------------------

SURFACE_HEIGHTS = {"plane": surfaces.plane, "bumps": surfaces.bumps, "wave": surfaces.wave, "pyramid": surfaces.pyramid}


@pytest.mark.parametrize("name", REGRESSIONS)
def test_a_surface_gives_n_points_in_the_square_and_one_target_each(name):
    x, t = REGRESSIONS[name](n=300, noise=0.1, seed=0)
    assert x.shape == (300, 2) and t.shape == (300, 1)
    assert np.abs(x).max() <= 1
    assert np.isfinite(t).all()


@pytest.mark.parametrize("name", REGRESSIONS)
def test_without_noise_a_surfaces_targets_are_its_heights_within_one(name):
    x, t = REGRESSIONS[name](n=500, noise=0.0, seed=0)
    np.testing.assert_allclose(t[:, 0], SURFACE_HEIGHTS[name](x[:, 0], x[:, 1]))
    assert np.abs(t).max() <= 1 and t.std() > 0.2  # it spans the colour field's range, and varies


@pytest.mark.parametrize("name", REGRESSIONS)
def test_a_surfaces_noise_is_on_the_targets_with_the_std_asked(name):
    clean_x, clean_t = REGRESSIONS[name](n=4000, noise=0.0, seed=3)
    x, t = REGRESSIONS[name](n=4000, noise=0.2, seed=3)
    np.testing.assert_array_equal(x, clean_x)
    assert abs((t - clean_t).std() - 0.2) < 0.01


@pytest.mark.parametrize("name", REGRESSIONS)
def test_a_seed_fixes_a_surface_and_another_changes_it(name):
    first, again, other = (REGRESSIONS[name](n=50, seed=seed) for seed in (1, 1, 2))
    np.testing.assert_array_equal(first[1], again[1])
    assert not np.array_equal(first[0], other[0])


def test_the_surfaces_heights_at_known_points():
    assert surfaces.plane(0.5, 0.3) == pytest.approx(0.4)
    assert surfaces.wave(0.5, 0.0) == pytest.approx(1.0)
    assert surfaces.pyramid(-0.5, 0.25) == pytest.approx(-0.25)
    assert surfaces.bumps(np.array([-2 / 3, 0.0]), np.array([5 / 12, 5 / 12])) == pytest.approx([1.0, -1.0])
    assert abs(surfaces.bumps(np.array([0.0]), np.array([0.0]))[0]) < 0.05  # between the rows of bumps: nearly flat
