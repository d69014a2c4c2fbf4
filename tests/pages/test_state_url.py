"""The page address carries the settings; bad values are reported, never fatal."""

from __future__ import annotations

from stepper.pages.kit.state_url import PageState, read_state, state_query


def test_present_and_settings_are_read():
    state = read_state("?present=1&algorithm=momentum&lr=0.5&partitions=8&depth=3&seed=4"
                       "&iteration=7")
    assert state.present is True
    assert (state.algorithm, state.lr, state.partitions, state.depth, state.seed,
            state.iteration) == ("momentum", 0.5, 8, 3, 4, 7)
    assert state.problems == []
    assert state.settings() == {"algorithm": "momentum", "lr": 0.5, "depth": 3, "seed": 4}


def test_step_rules_are_kept_as_words():
    assert read_state("lr=1/L").lr == "1/L"


def test_bad_values_are_reported_and_ignored():
    state = read_state("algorithm=adam&lr=-1&partitions=zero&unknown=3")
    assert state.algorithm is None and state.lr is None and state.partitions is None
    assert len(state.problems) == 3
    assert any("algorithm='adam'" in problem for problem in state.problems)


def test_a_query_opens_the_same_state():
    state = PageState(present=True, algorithm="nesterov", lr="1/L", partitions=4, seed=2,
                      iteration=5)
    again = read_state(state_query(state))
    assert (again.present, again.algorithm, again.lr, again.partitions, again.seed,
            again.iteration) == (True, "nesterov", "1/L", 4, 2, 5)


def test_voila_query_string_is_the_default(monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "present=yes&seed=3")
    state = read_state()
    assert state.present and state.seed == 3


def test_a_penalty_name_is_carried_and_a_malformed_one_reported():
    assert read_state(state_query(PageState(penalty="elastic net"))).penalty == "elastic net"
    state = read_state("penalty=%3Cscript%3E")
    assert state.penalty is None
    assert state.problems and "penalty" in state.problems[0]
