"""Values the optimizer makes hundreds of a request without their dataclass `__init__`: each is the
value the constructor makes, as frozen, and every field of the class is given."""

from __future__ import annotations

import ast
import copy
import dataclasses
import inspect
import pickle

import pytest

from advisor import pricing
from advisor.domain import assemble
from advisor.optimizer import model
from advisor.pricing import Cents


def test_a_price_added_or_multiplied_equals_one_made_by_its_constructor() -> None:
    total = Cents(100, 7) + Cents(50, 3)
    assert total == Cents(150, 10) and hash(total) == hash(Cents(150, 10))
    assert Cents(100, 7) * 3 == Cents(300, 21)
    assert repr(total) == "Cents(upfront=150, annual=10)"
    assert pickle.loads(pickle.dumps(total)) == total == copy.deepcopy(total)
    with pytest.raises(dataclasses.FrozenInstanceError):
        total.upfront = 0  # type: ignore[misc]


def test_an_assembled_column_equals_the_constructors_and_stays_frozen() -> None:
    names = [f.name for f in dataclasses.fields(model.Column)]
    values = dict(zip(names, ("variant", ((0, 1),), True, "demand", "cas", Cents(1, 2), 0.0), strict=True))
    made = assemble(model.Column, **values)
    assert made == model.Column(**values)
    assert dataclasses.replace(made, downtime=5.0).downtime == 5.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.downtime = 1.0  # type: ignore[misc]


@pytest.mark.parametrize("module", [pricing, model])
def test_every_assembled_value_is_given_every_field_of_its_class(module: object) -> None:
    """`assemble` runs neither defaults nor `__post_init__`: a call that left a field out would
    make a value without it, so each call in the code names them all."""
    tree = ast.parse(inspect.getsource(module))  # type: ignore[arg-type]
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "assemble"
    ]
    assert calls
    for call in calls:
        assert isinstance(call.args[0], ast.Name)
        cls = getattr(module, call.args[0].id)
        assert not hasattr(cls, "__post_init__")
        given = sorted(k.arg for k in call.keywords if k.arg)
        assert given == sorted(f.name for f in dataclasses.fields(cls))
