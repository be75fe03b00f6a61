"""Function classes as values: what a claim quantifies over.

A class is a set of members, each a univariate function with valid constants (L0, L1), its
infimum f*, and how start points are drawn (:class:`Member`). The classes a user can name:

* the zoo - :func:`zoo_class` with no arguments, the lab's default class;
* any list of zoo names - ``zoo_class(["quartic", "cosh"], L1=[1.0, 2.0])``;
* a parametrised expression family - ``expression_family("a*x**4 + x**2",
  params={"a": [0.5, 2.0]}, L1=[1.0])``, constants certified per member;
* the whole univariate class - ``WholeUnivariate(L0=[1.0], L1=[1.0])``: every univariate
  (L0,L1)-smooth function (members from the whole-class generator).

Every claim kind takes a class (``lab.claims``), and ``lab.strategies`` draws from one.

Examples
--------
>>> from lab.classes import zoo_class
>>> c = zoo_class(["quartic", "witness"], L1=[2.0], L0=[4.0])
>>> [m.label for m in c.sweep_members()]
["get_function('quartic') with (L0, L1) = (4, 2)", "get_function('witness', L0=4.0, L1=2.0) with (L0, L1) = (4, 2)"]
"""

from lab.classes.base import POSITIVE_L0, FunctionClass
from lab.classes.family import ExpressionFamily, expression_family
from lab.classes.member import Member, make_member, witness_member
from lab.classes.whole import WholeUnivariate
from lab.classes.zoo import CLASS_NAMES, ZooClass, zoo_class

__all__ = ["FunctionClass", "Member", "ZooClass", "ExpressionFamily", "WholeUnivariate",
           "zoo_class", "expression_family", "make_member", "witness_member", "CLASS_NAMES",
           "POSITIVE_L0"]
