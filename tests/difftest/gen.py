#!/usr/bin/env python3
"""Generate a random, terminating Kiln program from an integer seed.

Usage:
  gen.py SEED [-o FILE] [--error | --no-error]

The same seed always gives the same program (Python's `random.Random(seed)`, no
other source of randomness). The program is meant for differential testing: two
execution modes of `kiln` must print exactly the same thing for it (see run.py).

What a program holds (each part chosen and parameterised at random):
  - a prelude: a string-clipping helper, 2-4 random global helper functions and a
    hierarchy of 2-5 classes sharing one interface (fields a, b, c set in init in a
    different order per class, so they sit at different slots; methods val, name,
    bump, mk; subclasses override some and call super);
  - 6-12 segments, some at the top level (globals), some wrapped in a function
    (locals), among: arithmetic (integers, fractions, division by zero, nan, -0,
    large values, %, bitwise operators), comparisons feeding branches (with nan,
    -0, inf), strings and their methods, lists, maps, classes with polymorphic
    call and field sites, instance shapes (fields added in different orders, a
    field hiding a method mid-loop), closures (shared and mutated upvalues),
    lambdas, type changes mid-loop, globals redefined mid-loop, bounded recursion,
    integer ranges around 2^31/2^32/2^53, break/continue, and hot loops of a few
    thousand iterations with random typed bodies;
  - in about 10% of programs, a final segment that stops with a runtime error
    (after many good iterations of a hot loop, at the end of a call chain through
    functions, methods, initializers and lambdas, or deep in a recursion), so the
    error message, the stack trace and exit code 70 are compared too.

Programs are built by a type-directed generator, so that apart from the deliberate
final error they cannot fail: every value is known to be an integer (with a bound
on its magnitude, so bitwise operands stay in the 64-bit range), a number, a string,
a boolean, a non-empty list of integers, a map, an instance of the class hierarchy,
and so on. Loops are bounded, recursion is bounded, lists and strings are kept
short, and the total work is budgeted, so a program runs in a few milliseconds
with -Xint. Nothing depends on time (clock() is never used).
"""

import argparse
import random
import sys

BITSAFE = 2 ** 62          # |x| <= this: a valid operand of & | ^ ~ << >>
VARB = 2 ** 40             # bound of int variables, list elements and map values
FIELDB = 100003            # fields a and b of the class hierarchy
CBOUND = 1000              # field c, extra fields
HUGE = 10 ** 300           # int expressions stay below this (finite)
MAX_MULT = 6000            # at most this many executions of one statement
WORK_MAX = 60000           # rough bound on statement executions per program
LIST_MAX = 40              # pushes are guarded by len() < this
ALLOC_MAX = 1500           # allocations in hot code (the cost of --gc-stress --gc-verify)

MODS = [3, 7, 10, 16, 97, 256, 1000, 1009, -7, -10, -256, 65536, 100003,
        1000003, 2147483648, -65536, -1000003]
INT_LITS = [0, 1, 2, 3, 4, 5, 7, 8, 10, 13, 31, 63, 64, 100, 127, 128, 255, 256,
            1000, 1023, 1024, 4096, 32767, 32768, 65535, 65536, 1000000,
            1073741823, 1073741824, 2147483647, 2147483648, 4294967295,
            4294967296, 1099511627776, 9007199254740991, 9007199254740992,
            9007199254740993, 4611686018427387904, 9223372036854775807,
            123456789012345680000]
FRAC_LITS = ["0.5", "0.25", "0.1", "0.2", "0.3", "1.5", "2.75", "3.14159",
             "0.001", "0.000001", "123.456", "1000000.5", "99.99", "2.5", "0.7",
             "1.0", "4503599627370495.5", "0.30000000000000004", "(1 / 3)", "7.125"]
STR_LITS = ["", "a", "b", "ab", "abc", "kiln", "Hello", "hello world",
            "  padded  ", "a,b,,c", "x-y-z", "banana", "an", "AN", "123", "-4.5",
            " 7 ", "1e3", "nan", "inf", "MiXeD", "\u00e9t\u00e9", "0", "-0",
            "foo bar baz", ",", "-", " ", "Zz9", "line\\n"]
KEY_STRS = ["k0", "k1", "k2", "a", "b", "", "key"]
OPS_CMP = ["<", "<=", ">", ">=", "==", "!="]


def frac_lit(r):
    return r.choice(FRAC_LITS)


class Var:
    """A variable (or a pseudo-variable such as `this.a`) the generator may use."""

    def __init__(self, name, type, bound=None, mutable=True, fdepth=0, code=None):
        self.name = name
        self.type = type
        self.bound = bound
        self.mutable = mutable
        self.fdepth = fdepth
        self.code = code or name


class Helper:
    """A global function with a known signature: param types, return type."""

    def __init__(self, name, params, ret, bound, cost, allocs):
        self.name = name
        self.params = params
        self.ret = ret
        self.bound = bound
        self.cost = cost
        self.allocs = allocs


class Ctx:
    """Where code is being generated: visible variables, loops, cost."""

    def __init__(self):
        self.frames = [[]]
        self.fdepth = 0
        self.ret = None          # return type inside a function
        self.ret_bound = None
        self.loops = 0           # enclosing loops (of the current function)
        self.mult = 1            # executions of the current statement
        self.in_map_iter = False
        self.can_print = True
        self.guard = None        # condition that makes prints sparse in hot loops
        self.depth = 0           # statement nesting
        self.in_method = False
        self.in_fn = False       # in a lambda or closure: calls no function value
        self.no_alloc = False    # code that may run very often: allocate nothing
        self.simple = False      # function values' bodies: no loops, no closures

    def save(self):
        return (self.fdepth, self.ret, self.ret_bound, self.loops, self.mult,
                self.in_map_iter, self.can_print, self.guard, self.depth,
                self.in_method, self.in_fn, self.no_alloc, self.simple)

    def restore(self, s):
        (self.fdepth, self.ret, self.ret_bound, self.loops, self.mult,
         self.in_map_iter, self.can_print, self.guard, self.depth,
         self.in_method, self.in_fn, self.no_alloc, self.simple) = s

    def add(self, v):
        self.frames[-1].append(v)
        return v

    def vars(self, *types):
        out = []
        for f in self.frames:
            for v in f:
                if v.type in types:
                    out.append(v)
        return out


class Gen:
    def __init__(self, seed, error=None):
        self.seed = seed
        self.r = random.Random(seed)
        self.lines = []
        self.ind = 0
        self.counter = 0
        self.helpers = []
        self.classes = []        # (name, init arity) of the hierarchy
        self.work = 0
        self.allocs = 0
        self.error = (self.r.random() < 0.10) if error is None else error

    # ----------------------------------------------------------------- output
    def emit(self, s):
        self.lines.append("  " * self.ind + s)

    def fresh(self, prefix):
        self.counter += 1
        return "%s%d" % (prefix, self.counter)

    class _Block:
        def __init__(self, g, c, head, tail, frame, **changes):
            self.g, self.c, self.head, self.tail = g, c, head, tail
            self.frame, self.changes = frame, changes

        def __enter__(self):
            self.g.emit(self.head)
            self.g.ind += 1
            self.saved = self.c.save() if self.c else None
            if self.c:
                if self.frame:
                    self.c.frames.append([])
                for k, v in self.changes.items():
                    setattr(self.c, k, v)
                self.c.depth += 1
            return self

        def __exit__(self, *a):
            self.g.ind -= 1
            self.g.emit(self.tail)
            if self.c:
                if self.frame:
                    self.c.frames.pop()
                self.c.restore(self.saved)

    def block(self, head, c=None, tail="}", frame=True, **changes):
        return Gen._Block(self, c, head, tail, frame, **changes)

    def chance(self, p):
        return self.r.random() < p

    # ------------------------------------------------------------ int helpers
    def fit(self, code, bound, target):
        """Code of an integer expression whose magnitude is at most target."""
        if bound <= target:
            return code, bound
        m = self.r.choice([x for x in MODS if abs(x) <= target] or [7])
        return "(%s %% %d)" % (code, m), abs(m)

    def ifit(self, c, d, target):
        return self.fit(*self.iexpr(c, d), target)[0]

    def int_lit(self):
        r = self.r
        k = r.random()
        if k < 0.55:
            v = r.randint(0, 12)
        elif k < 0.8:
            v = r.randint(0, 5000)
        else:
            v = r.choice(INT_LITS)
        if self.chance(0.15):
            return "(-%d)" % v, v
        return str(v), v

    def iatom(self, c):
        vs = c.vars("int")
        if vs and self.chance(0.6):
            v = self.r.choice(vs)
            return v.code, v.bound
        return self.int_lit()

    def call_ok(self, c, cost):
        return c.mult * cost <= MAX_MULT * 3

    def alloc(self, c, n=1):
        """May code here allocate n objects per execution? (Counts them if so.)"""
        if n == 0:
            return True
        if c.no_alloc:
            return False
        if c.mult <= 20 or (self.allocs + c.mult * n <= ALLOC_MAX and self.chance(0.5)):
            self.allocs += c.mult * n
            return True
        return False

    def helper_ok(self, c, h):
        return self.call_ok(c, h.cost) and (h.allocs == 0 or self.alloc(c, h.allocs))

    def iexpr(self, c, d):
        """(code, bound) of an expression whose value is an integral, finite number."""
        r = self.r
        if d <= 0 or self.chance(0.22):
            return self.iatom(c)
        k = r.randrange(22)
        if k < 3:
            op = r.choice("+-")
            a, ba = self.iexpr(c, d - 1)
            b, bb = self.iexpr(c, d - 1)
            return "(%s %s %s)" % (a, op, b), ba + bb
        if k == 3:
            a, ba = self.iexpr(c, d - 1)
            b, bb = self.iexpr(c, d - 1)
            if ba * bb > HUGE:
                a, ba = self.fit(a, ba, 2 ** 31)
                b, bb = self.fit(b, bb, 2 ** 31)
            return "(%s * %s)" % (a, b), max(ba * bb, 1)
        if k == 4:
            a, ba = self.iexpr(c, d - 1)
            m = r.choice(MODS)
            return "(%s %% %d)" % (a, m), abs(m)
        if k in (5, 6):
            a, ba = self.fit(*self.iexpr(c, d - 1), BITSAFE)
            b, bb = self.fit(*self.iexpr(c, d - 1), BITSAFE)
            op = r.choice("&|^")
            return "(%s %s %s)" % (a, op, b), 2 * max(ba, bb) + 1
        if k == 7:
            a, ba = self.fit(*self.iexpr(c, d - 1), BITSAFE)
            return "(~%s)" % a, ba + 1
        if k == 8:
            a, ba = self.fit(*self.iexpr(c, d - 1), BITSAFE)
            if self.chance(0.5):
                s = r.choice([0, 1, 2, 3, 5, 8, 13, 16, 31, 32, 33, 52, 53, 62, 63])
                sc = str(s)
            else:
                sc = "(%s & 63)" % self.fit(*self.iexpr(c, d - 1), BITSAFE)[0]
                s = 63
            bound = ba * (2 ** s)
            return "(%s << %s)" % (a, sc), (bound if bound <= BITSAFE else 2 ** 63)
        if k == 9:
            a, ba = self.fit(*self.iexpr(c, d - 1), BITSAFE)
            s = r.choice(["1", "3", "7", "31", "63", "(%s & 63)" % self.fit(*self.iexpr(c, 0), BITSAFE)[0]])
            return "(%s >> %s)" % (a, s), ba
        if k == 10:
            vs = c.vars("ilist", "alist")
            if vs:
                return "len(%s)" % r.choice(vs).code, 10 ** 5
            return "len(%s)" % self.sexpr(c, d - 1), 10 ** 7
        if k == 11:
            a, ba = self.iexpr(c, d - 1)
            a, ba = self.fit(a, ba, 2 ** 50)
            kk = r.choice(["2", "3", "10", "2.5", "0.5", "(-4)", "7.25"])
            fn = r.choice(["floor", "ceil"])
            return "Math.%s(%s / %s)" % (fn, a, kk), ba * 2 + 1
        if k == 12:
            a, ba = self.iexpr(c, d - 1)
            return "Math.abs(%s)" % a, ba
        if k == 13:
            hs = [h for h in self.helpers if h.ret == "int" and self.helper_ok(c, h)]
            if hs:
                h = r.choice(hs)
                self.work += c.mult * h.cost
                return "%s(%s)" % (h.name, self.args(c, h.params, d - 1)), h.bound
            fs = c.vars("ifn")
            if fs and not c.in_fn:
                return "%s(%s)" % (r.choice(fs).code, self.ifit(c, d - 1, VARB)), VARB
            return self.iatom(c)
        if k == 14:
            os_ = c.vars("inst")
            if os_:
                o = r.choice(os_).code
                f = r.choice(["a", "b", "c", "val()", "bump(%s)" % self.ifit(c, 0, 1000)])
                if f == "c" or f.startswith("bump"):
                    return "%s.%s" % (o, f), CBOUND
                if f == "val()":
                    return "%s.%s" % (o, f), 10007
                return "%s.%s" % (o, f), FIELDB
            ols = c.vars("olist")
            if ols:
                o = r.choice(ols).code
                return "%s[%s %% len(%s)].val()" % (o, self.ifit(c, d - 1, HUGE), o), 10007
            return self.iatom(c)
        if k == 15:
            ls = c.vars("ilist")
            if ls:
                x = r.choice(ls).code
                return "%s[%s %% len(%s)]" % (x, self.iexpr(c, d - 1)[0], x), VARB
            return self.iatom(c)
        if k == 16:
            ms = c.vars("map")
            if ms:
                return "(%s[%s] or 0)" % (r.choice(ms).code, self.kexpr(c)), VARB
            return self.iatom(c)
        if k == 17:
            a, ba = self.iexpr(c, d - 1)
            b, bb = self.iexpr(c, d - 1)
            return "(%s and %s or %s)" % (self.bexpr(c, d - 1), a, b), max(ba, bb)
        if k == 18 and self.alloc(c):
            a, ba = self.iexpr(c, d - 1)
            return "num(str(%s))" % a, ba
        if k == 19:
            a, ba = self.iexpr(c, d - 1)
            return "(-%s)" % a, ba
        if k == 20:
            return "%s.indexOf(%s)" % (self.satom(c), self.satom(c)), 10 ** 7
        return self.iatom(c)

    def args(self, c, params, d):
        out = []
        for p in params:
            if p == "int":
                out.append(self.ifit(c, d, VARB))
            elif p == "str":
                out.append(self.sexpr(c, d))
            else:
                out.append(self.expr(c, p, d))
        return ", ".join(out)

    # --------------------------------------------------------- other types
    def nexpr(self, c, d):
        r = self.r
        if d <= 0 or self.chance(0.2):
            k = r.randrange(10)
            if k < 3:
                return self.iatom(c)[0]
            if k < 5:
                return frac_lit(r)
            if k < 8:
                vs = c.vars("num")
                if vs:
                    return r.choice(vs).code
                return frac_lit(r)
            return r.choice(["(0 / 0)", "(1 / 0)", "(-1 / 0)", "(-0)", "(0 * -1)",
                             "Math.pi", "(0.1 + 0.2)", "(-0.5)"])
        k = r.randrange(16)
        if k < 4:
            op = r.choice(["+", "-", "*", "/", "%", "/", "*"])
            return "(%s %s %s)" % (self.nexpr(c, d - 1), op, self.nexpr(c, d - 1))
        if k == 4:
            return "(-%s)" % self.nexpr(c, d - 1)
        if k == 5:
            fn = r.choice(["sqrt", "floor", "ceil", "abs", "sin", "cos", "exp", "log"])
            return "Math.%s(%s)" % (fn, self.nexpr(c, d - 1))
        if k == 6:
            fn = r.choice(["min", "max", "pow"])
            b = self.nexpr(c, d - 1) if fn != "pow" else r.choice(["2", "0.5", "3", "(-1)", "0", "10"])
            return "Math.%s(%s, %s)" % (fn, self.nexpr(c, d - 1), b)
        if k == 7:
            hs = [h for h in self.helpers if h.ret == "num" and self.helper_ok(c, h)]
            if hs:
                h = r.choice(hs)
                self.work += c.mult * h.cost
                return "%s(%s)" % (h.name, self.args(c, h.params, d - 1))
        if k == 8:
            return "(num(%s) or 0)" % self.sexpr(c, d - 1)
        if k == 9:
            return "(%s and %s or %s)" % (self.bexpr(c, d - 1), self.nexpr(c, d - 1), self.nexpr(c, d - 1))
        if k == 10:
            return "(%s / %s)" % (self.iexpr(c, d - 1)[0], self.iexpr(c, d - 1)[0])
        return self.iexpr(c, d)[0]

    def satom(self, c):
        vs = c.vars("str")
        if vs and self.chance(0.55):
            return self.r.choice(vs).code
        return '"%s"' % self.r.choice(STR_LITS)

    def sexpr(self, c, d):
        r = self.r
        if d <= 0 or self.chance(0.2) or not self.alloc(c):
            return self.satom(c)
        k = r.randrange(17)
        if k < 3:
            return "(%s + %s)" % (self.sexpr(c, d - 1), self.sexpr(c, d - 1))
        if k == 3:
            return "str(%s)" % self.aexpr(c, d - 1)
        if k == 4:
            return "str(%s)" % self.nexpr(c, d - 1)
        if k == 5:
            return "%s.%s()" % (self.sexpr(c, d - 1), r.choice(["upper", "lower", "trim"]))
        if k == 6:
            s = self.satom(c)
            return "%s.substr(%s %% (len(%s) + 1), %s %% 6)" % (
                s, self.iexpr(c, d - 1)[0], s, self.iexpr(c, d - 1)[0])
        if k == 7:
            old = r.choice([x for x in STR_LITS if x] + ["a", "an", ","])
            return '%s.replace("%s", %s)' % (self.sexpr(c, d - 1), old, self.satom(c))
        if k == 8:
            s = self.satom(c)
            return '(%s + "#")[%s %% (len(%s) + 1)]' % (s, self.iexpr(c, d - 1)[0], s)
        if k == 9:
            ls = c.vars("ilist", "alist")
            if ls:
                return "%s.join(%s)" % (r.choice(ls).code, self.satom(c))
            return "%s.split(%s).join(%s)" % (self.satom(c), self.satom(c), self.satom(c))
        if k == 10:
            return "type(%s)" % self.aexpr(c, d - 1)
        if k == 11:
            hs = [h for h in self.helpers if h.ret == "str" and self.helper_ok(c, h)]
            if hs:
                h = r.choice(hs)
                self.work += c.mult * h.cost
                return "%s(%s)" % (h.name, self.args(c, h.params, d - 1))
        if k == 12:
            os_ = c.vars("inst")
            if os_:
                return "%s.name()" % r.choice(os_).code
        if k == 13:
            return "(%s and %s or %s)" % (self.bexpr(c, d - 1), self.sexpr(c, d - 1), self.sexpr(c, d - 1))
        if k == 14:
            return "str(%s.split(%s))" % (self.satom(c), self.satom(c))
        return "str(%s)" % self.iexpr(c, d - 1)[0]

    def bexpr(self, c, d):
        r = self.r
        if d <= 0 or self.chance(0.15):
            vs = c.vars("bool")
            if vs and self.chance(0.5):
                return r.choice(vs).code
            if self.chance(0.3):
                return r.choice(["true", "false"])
            return "(%s %s %s)" % (self.iatom(c)[0], r.choice(OPS_CMP), self.iatom(c)[0])
        k = r.randrange(13)
        if k < 4:
            return "(%s %s %s)" % (self.nexpr(c, d - 1), r.choice(OPS_CMP), self.nexpr(c, d - 1))
        if k == 4:
            return "(%s %s %s)" % (self.iexpr(c, d - 1)[0], r.choice(OPS_CMP), self.iexpr(c, d - 1)[0])
        if k == 5:
            return "(%s %s %s)" % (self.sexpr(c, d - 1), r.choice(["==", "!="]), self.sexpr(c, d - 1))
        if k == 6:
            return "(%s %s %s)" % (self.aexpr(c, d - 1), r.choice(["==", "!="]), self.aexpr(c, d - 1))
        if k == 7:
            return "!%s" % self.bexpr(c, d - 1)
        if k == 8:
            return "(%s %s %s)" % (self.bexpr(c, d - 1), r.choice(["and", "or"]), self.bexpr(c, d - 1))
        if k == 9:
            return "%s.%s(%s)" % (self.sexpr(c, d - 1), r.choice(["startsWith", "endsWith"]), self.satom(c))
        if k == 10:
            ls = c.vars("ilist", "alist")
            if ls:
                return "%s.contains(%s)" % (r.choice(ls).code, self.iexpr(c, d - 1)[0])
            ms = c.vars("map")
            if ms:
                return "%s.has(%s)" % (r.choice(ms).code, self.kexpr(c))
        if k == 11:
            return "(type(%s) == \"%s\")" % (self.aexpr(c, d - 1), r.choice(["number", "string", "nil", "bool", "list"]))
        return "((%s %% 2) == 0)" % self.iexpr(c, d - 1)[0]

    def kexpr(self, c):
        r = self.r
        k = r.randrange(10)
        if k < 4:
            return "(%s %% 8)" % self.iexpr(c, 1)[0]
        if k < 7:
            return '"%s"' % r.choice(KEY_STRS)
        return r.choice(["true", "false", "nil", "(-0)", "0.5", "(0 * -1)", "str(%s %% 4)" % self.iatom(c)[0]])

    def aexpr(self, c, d, scalar=False):
        """Any value (printed, compared, converted: never operated on).

        With scalar, no existing list or map (so lists never share sublists: a
        list holding the same list twice, nested, would print exponentially)."""
        r = self.r
        k = r.randrange(14)
        if k < 3:
            return self.iexpr(c, d)[0]
        if k < 5:
            return self.nexpr(c, d)
        if k < 7:
            return self.sexpr(c, d)
        if k == 7:
            return self.bexpr(c, d)
        if k == 8:
            vs = c.vars("inst", "ifn", "any") if scalar else c.vars("ilist", "alist", "map", "inst", "olist", "ifn", "any")
            if vs:
                return r.choice(vs).code
            return "nil"
        if k == 9 and d > 0 and self.alloc(c):
            n = r.randint(0, 3)
            return "[%s]" % ", ".join(self.aexpr(c, d - 1, True) for _ in range(n))
        if k == 10 and d > 0 and self.alloc(c):
            n = r.randint(0, 3)
            return "{%s}" % ", ".join("%s: %s" % (self.kexpr(c), self.aexpr(c, d - 1, True)) for _ in range(n))
        if k == 11:
            xs = ["nil", "true", "false", "len", "Math", "clip_", "Math.sqrt"]
            xs += [h.name for h in self.helpers] + [cl for cl, _ in self.classes]
            os_ = c.vars("inst")
            if os_ and self.alloc(c):
                xs.append("%s.%s" % (r.choice(os_).code, r.choice(["val", "name", "bump"])))
            return r.choice(xs)
        if k == 12:
            os_ = c.vars("inst")
            if os_:
                return "%s.%s" % (r.choice(os_).code, r.choice(["a", "b", "c"]))
        return self.iexpr(c, d)[0]

    def ilist_lit(self, c, d):
        n = self.r.randint(1, 5)
        return "[%s]" % ", ".join(self.ifit(c, d, VARB) for _ in range(n))

    def map_lit(self, c, d):
        n = self.r.randint(0, 4)
        return "{%s}" % ", ".join("%s: %s" % (self.kexpr(c), self.ifit(c, d, VARB)) for _ in range(n))

    def inst_new(self, c, d):
        name, arity = self.r.choice(self.classes)
        return "%s(%s)" % (name, ", ".join(self.ifit(c, d, VARB) for _ in range(arity)))

    def lambda_lit(self, c, d):
        """An int -> int lambda, its body random (it may mutate captured ints)."""
        p = self.fresh("p")
        lines_before = len(self.lines)
        saved = c.save()
        c.frames.append([Var(p, "int", VARB, mutable=False)])
        c.fdepth += 1
        c.ret, c.ret_bound = "int", VARB
        c.loops = 0
        c.can_print = False
        c.in_map_iter = True  # no map mutation from closures
        c.in_fn = True        # no calls of function values: no cycles
        c.no_alloc = True     # called from hot loops, perhaps
        c.simple = True       # their cost is not counted where they are called
        c.depth += 2
        ind = self.ind
        self.ind = 0
        start = len(self.lines)
        for _ in range(self.r.randint(0, 2) if c.depth < 6 else 0):
            self.stmt(c, simple=True)
        body = self.lines[start:]
        del self.lines[start:]
        self.ind = ind
        ret = self.ifit(c, d, VARB)
        c.frames.pop()
        c.restore(saved)
        assert len(self.lines) == lines_before
        inner = " ".join(x.strip() for x in body)
        return "fun (%s) { %s%sreturn %s; }" % (p, inner, " " if inner else "", ret)

    def expr(self, c, t, d):
        if t == "int":
            return self.ifit(c, d, VARB)
        if t == "num":
            return self.nexpr(c, d)
        if t == "str":
            return "clip_(%s)" % self.sexpr(c, d)
        if t == "bool":
            return self.bexpr(c, d)
        if t == "any":
            return self.aexpr(c, d, True)
        vs = c.vars(t)
        if t == "ilist":
            if vs and self.chance(0.2):
                v = self.r.choice(vs).code
                return "%s.slice(0, 1 + (%s %% len(%s)))" % (v, self.iexpr(c, 1)[0], v)
            return self.ilist_lit(c, d)
        if t == "alist":
            n = self.r.randint(0, 4)
            return "[%s]" % ", ".join(self.aexpr(c, d - 1, True) for _ in range(n))
        if t == "map":
            return self.map_lit(c, d)
        if t == "inst":
            if vs and self.chance(0.3):
                return self.r.choice(vs).code
            return self.inst_new(c, d)
        if t == "olist":
            n = self.r.randint(1, 4)
            return "[%s]" % ", ".join(self.inst_new(c, 0) for _ in range(n))
        if t == "ifn":
            if vs and self.chance(0.3):
                return self.r.choice(vs).code
            return self.lambda_lit(c, d)
        raise ValueError(t)

    # -------------------------------------------------------------- statements
    def pr(self, c, code):
        """Print code, sparsely inside hot loops."""
        if not c.can_print:
            return False
        if c.guard:
            self.emit("if (%s) print %s;" % (c.guard, code))
        else:
            self.emit("print %s;" % code)
        return True

    def assign_stmt(self, c, v, d=2):
        if v.type == "int":
            self.emit("%s = %s;" % (v.code, self.ifit(c, d, v.bound)))
        elif v.type == "num":
            self.emit("%s = %s;" % (v.code, self.nexpr(c, d)))
        elif v.type == "str":
            self.emit("%s = clip_(%s);" % (v.code, self.sexpr(c, d)))
        elif v.type == "bool":
            self.emit("%s = %s;" % (v.code, self.bexpr(c, d)))
        elif v.type == "any":
            self.emit("%s = %s;" % (v.code, self.aexpr(c, d, True)))
        elif v.type == "inst":
            self.emit("%s = %s;" % (v.code, self.expr(c, "inst", d)))
        elif v.type == "ifn":
            self.emit("%s = %s;" % (v.code, self.expr(c, "ifn", d)))

    def decl(self, c, t=None, d=2):
        r = self.r
        if t is None:
            t = r.choice(["int", "int", "int", "num", "num", "str", "str", "bool",
                          "ilist", "map", "inst", "ifn", "any", "alist"])
            if t in ("inst",) and not self.classes:
                t = "int"
        if t not in ("int", "num", "bool") and not self.alloc(c):
            t = self.r.choice(["int", "num", "bool"])
        name = self.fresh("v")
        if t == "int":
            code, b = self.fit(*self.iexpr(c, d), VARB)
            self.emit("var %s = %s;" % (name, code))
            return c.add(Var(name, "int", VARB, fdepth=c.fdepth))
        self.emit("var %s = %s;" % (name, self.expr(c, t, d)))
        return c.add(Var(name, t, fdepth=c.fdepth))

    def stmt(self, c, simple=False):
        r = self.r
        simple = simple or c.simple
        self.work += c.mult
        opts = [("decl", 3), ("assign", 5), ("print", 0 if simple else 4),
                ("if", 2 if c.depth < 4 else 0),
                ("loop", 1.5 if (c.depth < 3 and not simple) else 0),
                ("list", 1.5), ("map", 1), ("field", 1), ("call", 1),
                ("break", 0.6 if c.loops else 0), ("ret", 0.3 if c.ret else 0),
                ("gc", 0.03 if c.mult < 10 else 0), ("closure", 0.4 if (c.depth < 3 and not simple) else 0)]
        tot = sum(w for _, w in opts)
        x = r.uniform(0, tot)
        for kind, w in opts:
            x -= w
            if x <= 0:
                break
        getattr(self, "st_" + kind)(c)

    def st_decl(self, c):
        self.decl(c)

    def st_assign(self, c):
        types = ["int", "num", "str", "bool", "any"]
        if self.alloc(c):
            types += ["inst", "ifn"]
        vs = [v for v in c.vars(*types) if v.mutable]
        if not vs:
            return self.st_decl(c)
        self.assign_stmt(c, self.r.choice(vs))

    def st_print(self, c):
        r = self.r
        if not c.can_print:
            return self.st_assign(c)
        saved = c.mult
        if c.guard:
            c.mult = 1
        k = r.randrange(4)
        if k == 0:
            code = '"%s " + str(%s)' % (self.fresh("p"), self.aexpr(c, 2))
        else:
            code = self.aexpr(c, 2)
        c.mult = saved
        self.pr(c, code)

    def st_if(self, c):
        with self.block("if (%s) {" % self.bexpr(c, 2), c):
            for _ in range(self.r.randint(1, 3)):
                self.stmt(c)
        if self.chance(0.4):
            with self.block("else {", c):
                for _ in range(self.r.randint(1, 2)):
                    self.stmt(c)

    def loop_count(self, c):
        r = self.r
        room = MAX_MULT // c.mult
        if room < 2:
            return None
        if c.mult == 1 and self.chance(0.35):
            n = r.choice([200, 500, 1000, 1500, 2000, 3000])
        else:
            n = r.choice([1, 2, 3, 4, 5, 7, 10, 16, 20, 50])
        return min(n, room)

    def hot_guard(self, c, var, n):
        """(can_print, guard) for a loop body running n times per entry."""
        newmult = c.mult * n
        if newmult <= 40:
            return c.can_print, c.guard
        if c.mult <= 40 and c.can_print and not c.guard and var:
            per = max(2, n // self.r.choice([3, 5, 8]))
            return True, "%s %% %d == 0" % (var, per)
        return False, None

    def st_loop(self, c):
        r = self.r
        n = self.loop_count(c)
        if n is None:
            return self.st_assign(c)
        k = r.randrange(10)
        body_n = r.randint(1, 4)
        if k < 4:
            i = self.fresh("i")
            forms = [
                ("for (var {i} = 0; {i} < {n}; {i} = {i} + 1) {{", 0, n),
                ("for (var {i} = {n}; {i} > 0; {i} = {i} - 1) {{", 0, n),
                ("for (var {i} = 0; {i} <= {n1}; {i} = {i} + 1) {{", 0, n),
                ("for (var {i} = 0; {i} != {n}; {i} = {i} + 1) {{", 0, n),
                ("for (var {i} = 0; {n} > {i}; {i} = {i} + 1) {{", 0, n),
                ("for (var {i} = 0; {i} < {n2}; {i} = {i} + 2) {{", 0, 2 * n),
                ("for (var {i} = {s}; {i} < {s} + {n}; {i} = {i} + 1) {{", 1, n),
                ("for (var {i} = -{n}; {i} < 0; {i} = {i} + 1) {{", 0, n),
            ]
            f, big, bound = r.choice(forms)
            s = r.choice([2147483640, 4294967290, 1073741820, -2147483650, 9007199254730000])
            head = f.format(i=i, n=n, n1=n - 1, n2=2 * n, s=s)
            bound = bound + (abs(s) if big else 0) + 2
            cp, g = self.hot_guard(c, i, n)
            with self.block(head, c, can_print=cp, guard=g, mult=c.mult * n, loops=c.loops + 1):
                c.add(Var(i, "int", bound, mutable=False, fdepth=c.fdepth))
                for _ in range(body_n):
                    self.stmt(c)
        elif k < 6:
            w = self.fresh("w")
            self.emit("var %s = 0;" % w)
            cond = "%s < %d" % (w, n)
            if self.chance(0.3):
                cond = "%s and %s" % (cond, self.bexpr(c, 1))
            cp, g = self.hot_guard(c, w, n)
            with self.block("while (%s) {" % cond, c, can_print=cp, guard=g, mult=c.mult * n, loops=c.loops + 1):
                self.emit("%s = %s + 1;" % (w, w))
                c.add(Var(w, "int", n + 1, mutable=False, fdepth=c.fdepth))
                for _ in range(body_n):
                    self.stmt(c)
            c.add(Var(w, "int", n + 1, mutable=False, fdepth=c.fdepth))
        else:
            if c.mult * LIST_MAX > MAX_MULT:
                return self.st_assign(c)
            x = self.fresh("x")
            kind = r.choice(["ilist", "str", "map", "alist", "olist"])
            vs = c.vars(kind)
            if not vs and not self.alloc(c, 3):
                return self.st_assign(c)
            cp, g = self.hot_guard(c, None, LIST_MAX)
            extra = {}
            if kind == "ilist":
                src = vs and r.choice(vs).code or self.ilist_lit(c, 1)
                xv = Var(x, "int", VARB, mutable=False)
            elif kind == "str":
                src = "clip_(%s)" % self.sexpr(c, 1)
                xv = Var(x, "str", mutable=False)
            elif kind == "map":
                src = vs and r.choice(vs).code or self.map_lit(c, 1)
                xv = Var(x, "any", mutable=False)
                extra["in_map_iter"] = True
            elif kind == "olist" and self.classes:
                src = vs and r.choice(vs).code or self.expr(c, "olist", 1)
                xv = Var(x, "inst", mutable=False)
            else:
                src = vs and r.choice(vs).code or self.expr(c, "alist", 1)
                xv = Var(x, "any", mutable=False)
            with self.block("for (var %s in %s) {" % (x, src), c, can_print=cp, guard=g,
                            mult=c.mult * LIST_MAX, loops=c.loops + 1, **extra):
                c.add(xv)
                for _ in range(body_n):
                    self.stmt(c)

    def st_list(self, c):
        r = self.r
        ls = c.vars("ilist", "alist")
        if not ls:
            return self.decl(c, "ilist")
        v = r.choice(ls)
        x = v.code
        val = self.ifit(c, 2, VARB) if v.type == "ilist" else self.aexpr(c, 1, True)
        k = r.randrange(7)
        if k < 2:
            self.emit("if (len(%s) < %d) %s.push(%s);" % (x, LIST_MAX, x, val))
        elif k == 2:
            self.emit("if (len(%s) > 1) %s.pop();" % (x, x))
        elif k == 3 and v.type == "ilist":
            self.emit("%s[%s %% len(%s)] = %s;" % (x, self.iexpr(c, 2)[0], x, val))
        elif k == 4:
            self.emit("if (len(%s) < %d) %s.insert(%s %% (len(%s) + 1), %s);" % (
                x, LIST_MAX, x, self.iexpr(c, 1)[0], x, val))
        elif k == 5:
            self.emit("if (len(%s) > 1) %s.remove(%s %% len(%s));" % (x, x, self.iexpr(c, 1)[0], x))
        else:
            forms = ["{x}", "len({x})", "{x}.indexOf(%s)" % self.iatom(c)[0], '{x}.join("|")',
                     "{x}.slice(0, len({x}))"]
            self.pr(c, r.choice(forms).format(x=x))

    def st_map(self, c):
        r = self.r
        ms = [m for m in c.vars("map") if m.fdepth == c.fdepth]
        if not ms or c.in_map_iter:
            if c.in_map_iter:
                return self.st_assign(c)
            return self.decl(c, "map")
        m = r.choice(ms).code
        k = r.randrange(5)
        if k < 3:
            self.emit("%s[%s] = %s;" % (m, self.kexpr(c), self.ifit(c, 2, VARB)))
        elif k == 3:
            self.emit("%s.remove(%s);" % (m, self.kexpr(c)))
        else:
            self.pr(c, r.choice(["%s", "%s.keys()", "%s.values()", "len(%s)"]).replace("%s", m))

    def st_field(self, c):
        r = self.r
        os_ = c.vars("inst")
        if not os_ or not self.classes:
            if self.classes and c.mult < 500:
                return self.decl(c, "inst")
            return self.st_assign(c)
        o = r.choice(os_).code
        k = r.randrange(4)
        if k == 0:
            self.emit("%s.a = %s;" % (o, self.ifit(c, 2, FIELDB)))
        elif k == 1:
            self.emit("%s.b = %s;" % (o, self.ifit(c, 2, FIELDB)))
        elif k == 2:
            self.emit("%s.bump(%s);" % (o, self.ifit(c, 1, 1000)))
        else:
            self.pr(c, "%s.name() + \" \" + str(%s.val())" % (o, o))

    def st_call(self, c):
        r = self.r
        hs = [h for h in self.helpers if self.helper_ok(c, h)]
        if hs and self.chance(0.7):
            h = r.choice(hs)
            self.work += c.mult * h.cost
            call = "%s(%s)" % (h.name, self.args(c, h.params, 1))
            if not self.pr(c, call):
                self.emit("%s;" % call)
            return
        fs = c.vars("ifn")
        if fs and not c.in_fn:
            f = r.choice(fs).code
            self.emit("%s(%s);" % (f, self.ifit(c, 1, VARB)))
            return
        self.st_assign(c)

    def st_break(self, c):
        self.emit("if (%s) %s;" % (self.bexpr(c, 1), self.r.choice(["break", "continue"])))

    def st_ret(self, c):
        self.emit("if (%s) return %s;" % (self.bexpr(c, 1), self.expr(c, c.ret, 1) if c.ret != "int"
                                          else self.ifit(c, 1, c.ret_bound)))

    def st_gc(self, c):
        self.emit("System.gc();")

    def st_closure(self, c):
        """A local named function capturing (and maybe mutating) visible ints."""
        if not self.alloc(c):
            return self.st_assign(c)
        name = self.fresh("cl")
        p = self.fresh("p")
        with self.block("fun %s(%s) {" % (name, p), c, fdepth=c.fdepth + 1, ret="int", ret_bound=VARB,
                        loops=0, can_print=False, guard=None, in_map_iter=True, in_fn=True,
                        no_alloc=True, simple=True):
            c.add(Var(p, "int", VARB, mutable=False, fdepth=c.fdepth))
            for _ in range(self.r.randint(1, 3)):
                self.stmt(c, simple=True)
            self.emit("return %s;" % self.ifit(c, 2, VARB))
        c.add(Var(name, "ifn", mutable=False, fdepth=c.fdepth))
        call = "%s(%s)" % (name, self.ifit(c, 1, VARB))
        if not self.pr(c, call):
            self.emit(call + ";")

    # ------------------------------------------------------------------ prelude
    def prelude(self):
        self.emit("// kiln difftest program, seed %d" % self.seed)
        self.emit("fun clip_(s) {")
        self.emit("  if (len(s) > 40) return s.substr(0, 24) + \"~\" + s.substr(len(s) - 8, 8);")
        self.emit("  return s;")
        self.emit("}")
        for _ in range(self.r.randint(2, 4)):
            self.gen_helper()
        self.gen_classes()

    def gen_helper(self):
        r = self.r
        name = self.fresh("h")
        np = r.randint(1, 3)
        params = [r.choice(["int", "int", "num", "str"]) for _ in range(np)]
        ret = r.choice(["int", "int", "num", "str", "bool"])
        pnames = [self.fresh("a") for _ in params]
        c = Ctx()
        c.fdepth = 1
        c.ret = ret
        c.ret_bound = 1000003
        c.can_print = False
        c.in_map_iter = False
        c.mult = 1
        c.no_alloc = self.chance(0.5)   # cheap enough for hot loops
        w0 = self.work
        a0 = self.allocs
        self.emit("fun %s(%s) {" % (name, ", ".join(pnames)))
        self.ind += 1
        for pn, t in zip(pnames, params):
            c.add(Var(pn, t, VARB, mutable=self.chance(0.5), fdepth=1))
        # helpers are called from hot loops: keep them cheap (no nested loops)
        global MAX_MULT
        saved = MAX_MULT
        MAX_MULT = 12
        for _ in range(r.randint(1, 4)):
            self.stmt(c)
        MAX_MULT = saved
        if ret == "int":
            self.emit("return %s;" % self.ifit(c, 2, 1000003))
        else:
            self.emit("return %s;" % self.expr(c, ret, 2))
        self.ind -= 1
        self.emit("}")
        cost = max(1, self.work - w0) + 2
        self.work = w0
        allocs = self.allocs - a0
        self.allocs = a0
        self.helpers.append(Helper(name, params, ret, 1000003, cost, allocs))

    def gen_classes(self):
        r = self.r
        n = r.randint(2, 5)
        info = []   # (name, parent index, extras)
        for k in range(n):
            name = self.fresh("C")
            parent = None
            if k > 0 and self.chance(0.6):
                parent = r.randrange(k)
            pextras = info[parent][2] if parent is not None else []
            has_init = parent is None or self.chance(0.7)
            extras = list(pextras) + ([self.fresh("x")] if has_init and self.chance(0.6) else [])
            info.append((name, parent, extras))
            head = "class %s%s {" % (name, (" < " + info[parent][0]) if parent is not None else "")
            self.emit(head)
            self.ind += 1
            c = Ctx()
            c.fdepth = 1
            c.can_print = False
            c.in_method = True
            c.no_alloc = True
            for f in ["a", "b"]:
                c.add(Var("this." + f, "int", FIELDB, mutable=False, fdepth=1))
            for f in ["c"] + extras:
                c.add(Var("this." + f, "int", CBOUND, mutable=False, fdepth=1))
            arity = 2
            if has_init:
                own = [e for e in extras if e not in pextras]
                if parent is not None:
                    pre = [e for e in own if self.chance(0.5)]
                    post = [e for e in own if e not in pre]
                    self.emit("init(p, q) {")
                    for e in pre:
                        self.emit("  this.%s = %d;" % (e, r.randint(0, 99)))
                    self.emit("  super.init(%s, %s);" % (r.choice(["q", "p", "(p + q)"]), r.choice(["p", "q + 1", "(q * 2)"])))
                    for e in post:
                        self.emit("  this.%s = (p * 3) %% 1000;" % e)
                    if self.chance(0.4):
                        self.emit("  this.c = %d;" % r.randint(0, 999))
                    self.emit("}")
                else:
                    fields = [("a", "p %% %d" % FIELDB), ("b", "q %% %d" % FIELDB), ("c", "0")]
                    fields += [(e, str(r.randint(0, 999))) for e in own]
                    r.shuffle(fields)
                    self.emit("init(p, q) {")
                    for f, v in fields:
                        self.emit("  this.%s = %s;" % (f, v))
                    self.emit("}")
            # val
            if parent is None or self.chance(0.6):
                c2 = c
                sup = parent is not None and self.chance(0.6)
                if sup:
                    c.add(Var("super.val()", "int", 10007, mutable=False, fdepth=1))
                self.emit("val() {")
                self.ind += 1
                self.emit("return (%s) %% 10007;" % self.iexpr(c2, 3)[0])
                self.ind -= 1
                self.emit("}")
                if sup:
                    c.frames[-1].pop()
            if parent is None or self.chance(0.5):
                if parent is not None and self.chance(0.6):
                    self.emit('name() { return "%s/" + super.name(); }' % name)
                else:
                    self.emit('name() { return "%s:" + str(this.c); }' % name)
            if parent is None or self.chance(0.4):
                self.emit("bump(d) {")
                if parent is not None and self.chance(0.5):
                    self.emit("  var r = super.bump(d);")
                    self.emit("  this.c = (this.c + r * %d) %% 1000;" % r.randint(1, 9))
                else:
                    self.emit("  this.c = (this.c * %d + d) %% 1000;" % r.randint(1, 7))
                self.emit("  return this.c;")
                self.emit("}")
            if parent is None:
                self.emit("mk() { return fun (z) { return (this.a + z) %% %d; }; }" % r.choice([65536, 1000, 7]))
            self.ind -= 1
            self.emit("}")
            self.classes.append((name, arity))

    # ---------------------------------------------------------------- segments
    def seg_random(self, c):
        """A few random statements, then a hot loop with a random body."""
        for _ in range(self.r.randint(2, 5)):
            self.stmt(c)
        n = self.r.choice([500, 1000, 2000, 3000])
        i = self.fresh("i")
        acc = self.fresh("acc")
        self.emit("var %s = 0;" % acc)
        c.add(Var(acc, "int", VARB, fdepth=c.fdepth))
        per = n // self.r.choice([4, 6, 10])
        with self.block("for (var %s = 0; %s < %d; %s = %s + 1) {" % (i, i, n, i, i), c,
                        guard="%s %% %d == 0" % (i, per), mult=c.mult * n, loops=c.loops + 1):
            c.add(Var(i, "int", n, mutable=False, fdepth=c.fdepth))
            for _ in range(self.r.randint(2, 5)):
                self.stmt(c)
            self.emit("%s = (%s * 31 + %s) %% 1000003;" % (acc, acc, self.ifit(c, 2, VARB)))
        self.emit("print %s;" % acc)

    def seg_arith(self, c):
        r = self.r
        names = []
        for t, init in [("int", self.int_lit()[0]), ("int", str(r.choice(INT_LITS))),
                        ("num", frac_lit(r)), ("num", r.choice(["(0 / 0)", "(1 / 0)", "(-0)", "(0 * -1)", "(-1 / 0)"])),
                        ("num", r.choice(["0", "(-0)", "2147483647", "9007199254740992"]))]:
            n = self.fresh("n")
            self.emit("var %s = %s;" % (n, init))
            c.add(Var(n, t, abs(int(init.strip("()-") or 0)) + 1 if t == "int" else None, fdepth=c.fdepth))
            names.append(n)
        for _ in range(r.randint(8, 20)):
            k = r.randrange(5)
            if k < 2:
                self.pr(c, self.nexpr(c, 3))
            elif k < 4:
                self.pr(c, self.iexpr(c, 3)[0])
            else:
                self.pr(c, self.bexpr(c, 2))
        # specials
        self.pr(c, "%s / 0" % names[0])
        self.pr(c, "-%s / 0" % names[2])
        self.pr(c, "0 / 0 == 0 / 0")
        self.pr(c, "-0 == 0")
        self.pr(c, "str(-0) + \" \" + str(0 * -1) + \" \" + str(-0 + 0) + \" \" + str(-0 - 0)")
        self.pr(c, "%s %% 0" % names[0])
        self.pr(c, "(-7 % 3) + (7 % -3) + (5.5 % 2) + (-5.5 % 2)")
        self.pr(c, "9007199254740992 + 1")
        self.pr(c, "(1 << 62) * 4 + 1")
        self.pr(c, "(-1) >> 63")
        self.pr(c, "~%s" % self.fit(*self.iexpr(c, 2), BITSAFE)[0])

    def seg_compare(self, c):
        r = self.r
        f = self.fresh("cmp")
        vals = ["0", "(-0)", "1", "(-1)", "0.5", "(0 / 0)", "(1 / 0)", "(-1 / 0)", "2147483648", "9007199254740993", "(0.1 + 0.2)", "0.3"]
        r.shuffle(vals)
        vals = vals[:r.randint(4, 8)]
        ops = OPS_CMP[:]
        self.emit("fun %s(a, b) {" % f)
        self.ind += 1
        self.emit("var r = 0;")
        bit = 1
        for _ in range(r.randint(4, 8)):
            op = r.choice(ops)
            form = r.randrange(4)
            if form == 0:
                self.emit("if (a %s b) r = r + %d;" % (op, bit))
            elif form == 1:
                self.emit("if (!(a %s b)) r = r + %d;" % (op, bit))
            elif form == 2:
                self.emit("if (a %s b) r = r + %d; else r = r - 1;" % (op, bit))
            else:
                self.emit("if (a %s b and b %s a) r = r + %d;" % (op, r.choice(ops), bit))
            bit *= 2
        self.emit("var k = 0;")
        self.emit("while (a %s b and k < 3) k = k + 1;" % r.choice(ops))
        self.emit("for (var j = 0; j < 3 and !(a %s b); j = j + 1) k = k + 10;" % r.choice(ops))
        self.emit("return r * 100 + k;")
        self.ind -= 1
        self.emit("}")
        vl = self.fresh("vals")
        self.emit("var %s = [%s];" % (vl, ", ".join(vals)))
        self.emit("for (var x in %s) {" % vl)
        self.emit("  var line = \"\";")
        self.emit("  for (var y in %s) line = line + \" \" + str(%s(x, y));" % (vl, f))
        self.emit("  print line;")
        self.emit("}")
        n = r.choice([1000, 2000, 3000])
        s = self.fresh("s")
        self.emit("var %s = 0;" % s)
        self.emit("for (var i = 0; i < %d; i = i + 1) {" % n)
        self.emit("  %s = (%s + %s(%s[i %% len(%s)], %s[(i / %d - (i / %d) %% 1) %% len(%s)])) %% 1000003;" % (
            s, s, f, vl, vl, vl, len(vals), len(vals), vl))
        self.emit("  if (i %% %d == 0) print %s;" % (n // 5, s))
        self.emit("}")
        self.emit("print %s;" % s)
        # compare-and-branch on loop counters against odd bounds
        lim = r.choice(["10.5", "(0 / 0)", "(-1 / 0)", "3", "(1 / 0)"])
        cnt = self.fresh("cnt")
        self.emit("var %s = 0;" % cnt)
        self.emit("for (var i = 0; i < %s and i < 50; i = i + 1) %s = %s + 1;" % (lim, cnt, cnt))
        self.emit("print %s;" % cnt)
        self.emit("for (var i = 0.5; i < 7; i = i + 1.25) print i;")

    def seg_strings(self, c):
        r = self.r
        vs = []
        for _ in range(3):
            s = self.fresh("s")
            self.emit('var %s = "%s";' % (s, r.choice(STR_LITS)))
            vs.append(c.add(Var(s, "str", fdepth=c.fdepth)))
        for _ in range(r.randint(6, 14)):
            self.pr(c, self.sexpr(c, 3))
        self.pr(c, '"a,b,,c".split(",")')
        self.pr(c, '"%s".split("")' % r.choice(STR_LITS))
        self.pr(c, '%s.indexOf("%s")' % (vs[0].code, r.choice(STR_LITS)))
        self.pr(c, '"banana".replace("an", "AN") + "|" + "  padded  ".trim() + "|"')
        self.pr(c, '"ab" + "c" == "abc"')
        # string building in a loop (clipped), for-in over characters
        b = self.fresh("sb")
        n = r.choice([20, 50, 100, 300])
        self.emit('var %s = "";' % b)
        self.emit("for (var i = 0; i < %d; i = i + 1) {" % n)
        self.emit("  %s = clip_(%s + %s);" % (b, b, r.choice(['str(i % 10)', '"ab"[i % 2]', 'str(i * 0.5)', '%s.upper()' % vs[1].code])))
        self.emit("  if (i %% %d == 0) print %s;" % (max(1, n // 4), b))
        self.emit("}")
        cnt = self.fresh("cn")
        self.emit("var %s = 0;" % cnt)
        self.emit('for (var ch in %s) if (ch == "%s" or ch == "1") %s = %s + 1;' % (b, r.choice("0123456789aAbB"), cnt, cnt))
        self.emit("print %s;" % cnt)
        self.emit("print len(%s) + len(%s);" % (b, vs[2].code))

    def seg_lists(self, c):
        r = self.r
        xs = self.fresh("xs")
        self.emit("var %s = %s;" % (xs, self.ilist_lit(c, 2)))
        c.add(Var(xs, "ilist", fdepth=c.fdepth))
        n = r.choice([30, 100, 1000, 2000])
        self.emit("for (var i = 0; i < %d; i = i + 1) {" % n)
        self.ind += 1
        self.emit("if (len(%s) < %d) %s.push(i * %d %% 97);" % (xs, r.choice([8, 20, 40]), xs, r.randint(1, 50)))
        self.emit("%s[i %% len(%s)] = (%s[(i + 1) %% len(%s)] + i) %% 1000;" % (xs, xs, xs, xs))
        self.emit("if (i %% %d == 0) print %s;" % (max(1, n // 5), xs))
        self.ind -= 1
        self.emit("}")
        t = self.fresh("t")
        self.emit("var %s = 0;" % t)
        self.emit("for (var e in %s) %s = %s + e;" % (xs, t, t))
        self.emit("print %s;" % t)
        self.emit("print %s.pop();" % xs)
        self.emit("%s.insert(0, -1);" % xs)
        self.emit("print %s.remove(1);" % xs)
        self.emit("print %s.contains(-1) and %s.indexOf(-1);" % (xs, xs))
        self.emit("print %s.slice(1, 3);" % xs)
        self.emit('print %s.join(", ");' % xs)
        nest = self.fresh("nl")
        self.emit("var %s = [[1, 2], [3, [4, nil]], \"s\", %s];" % (nest, xs))
        self.emit("print %s; print len(%s[1]);" % (nest, nest))
        self.emit("%s[1][1][1] = %s;" % (nest, self.aexpr(c, 1, True)))
        self.emit("print %s[1];" % nest)
        for _ in range(r.randint(3, 8)):
            self.stmt(c)

    def seg_maps(self, c):
        r = self.r
        m = self.fresh("m")
        self.emit("var %s = %s;" % (m, self.map_lit(c, 1)))
        c.add(Var(m, "map", fdepth=c.fdepth))
        n = r.choice([20, 200, 1500])
        self.emit("for (var i = 0; i < %d; i = i + 1) {" % n)
        self.ind += 1
        kk = r.choice(["i % 7", '["k0", "k1", "k2", "k3", "k4"][i % 5]' if n <= 200 else "i % 5 - 2",
                       "i % 3 + 0.5", "(i % 4 == 0) and nil or i % 6", "(i % 5 == 1) and -0 or i % 4"])
        self.emit("var k = %s;" % kk)
        self.emit("%s[k] = (%s[k] or 0) + i;" % (m, m))
        self.emit("if (i %% %d == %d) %s.remove(k);" % (r.choice([5, 9, 13]), r.randint(0, 4), m))
        self.emit("if (i %% %d == 0) print %s;" % (max(1, n // 4), m))
        self.ind -= 1
        self.emit("}")
        self.emit("print %s.keys(); print %s.values(); print len(%s);" % (m, m, m))
        self.emit("for (var k in %s) print str(k) + \"=\" + str(%s[k]);" % (m, m))
        self.emit("print %s.has(%s) or %s.has(nil);" % (m, self.kexpr(c), m))
        self.emit("print {-0: 1, 0: 2, 1.0: 3, 1: 4, true: 5, nil: 6, \"x\": [7]};")
        for _ in range(r.randint(2, 6)):
            self.stmt(c)

    def seg_classes(self, c):
        r = self.r
        objs = self.fresh("objs")
        cls = list(self.classes)
        r.shuffle(cls)
        cls = cls[:r.randint(2, max(2, min(5, len(cls))))]
        items = ["%s(%d, %d)" % (nm, r.randint(0, 999), r.randint(0, 999)) for nm, _ in cls]
        items += [items[r.randrange(len(items))] for _ in range(r.randint(0, 2))]
        self.emit("var %s = [%s];" % (objs, ", ".join(items)))
        c.add(Var(objs, "olist", fdepth=c.fdepth))
        poke = self.fresh("poke")
        self.emit("fun %s(o, k) {" % poke)
        self.emit("  var r = o.val() + o.a * %d + o.b + o.bump(k);" % r.randint(1, 9))
        self.emit("  if (k == 0) r = r + len(o.name());")
        self.emit("  return r % 1000003;")
        self.emit("}")
        acc = self.fresh("acc")
        n = r.choice([1000, 2000, 3000])
        self.emit("var %s = 0;" % acc)
        self.emit("for (var i = 0; i < %d; i = i + 1) {" % n)
        self.emit("  var o = %s[i %% len(%s)];" % (objs, objs))
        self.emit("  %s = (%s + %s(o, i %% %d)) %% 1000003;" % (acc, acc, poke, r.randint(7, 40)))
        if self.chance(0.5):
            self.emit("  if (i %% %d == 0) o.a = (o.a + o.c) %% %d;" % (r.randint(3, 50), FIELDB))
        self.emit("  if (i %% %d == 0) print o.name() + \" \" + str(%s) + \" \" + str(o.c);" % (n // 5, acc))
        self.emit("}")
        self.emit("print %s;" % acc)
        self.emit("for (var o in %s) print o.name() + \" \" + str(o.val()) + \" \" + str(o.a) + \",\" + str(o.b) + \",\" + str(o.c);" % objs)
        bm = "bm_%s" % objs
        self.emit("var %s = %s[0].val;" % (bm, objs))
        self.emit("print %s; print %s();" % (bm, bm))
        self.emit("print %s[1 %% len(%s)].mk()(%d);" % (objs, objs, r.randint(0, 99)))
        self.emit("print %s[0].init(%d, %d) == %s[0];" % (objs, r.randint(0, 9), r.randint(0, 9), objs))
        # bound methods and native function values called from a hot loop
        self.emit("var bb_%s = %s[len(%s) - 1].bump;" % (objs, objs, objs))
        nfn, narg = r.choice([("len", "str(i)"), ("str", "i + 0.5"), ("type", "i"), ("Math.abs", "-i"),
                              ("Math.floor", "i / 3"), ("num", "str(i) + \".5\"")])
        self.emit("var nf_%s = %s;" % (objs, nfn))
        self.emit("var ba_%s = 0;" % objs)
        self.emit("for (var i = 0; i < %d; i = i + 1) {" % r.choice([300, 1000, 2000]))
        self.emit("  ba_%s = (ba_%s + bb_%s(i %% 5)) %% 1000003;" % (objs, objs, objs))
        self.emit("  if (i %% 250 == 0) print nf_%s(%s);" % (objs, narg))
        self.emit("}")
        self.emit("print ba_%s; print bb_%s;" % (objs, objs))
        self.emit("print %s[0];" % objs)
        for _ in range(r.randint(2, 5)):
            self.stmt(c)

    def seg_shapes(self, c):
        r = self.r
        bag = self.fresh("Bag")
        mk = self.fresh("mkbag")
        self.emit("class %s {" % bag)
        self.emit("  m() { return 1; }")
        self.emit("  sum() { return this.x + this.y; }")
        self.emit("}")
        self.emit("fun %s(k) {" % mk)
        self.emit("  var b = %s();" % bag)
        orders = [["x", "y"], ["y", "x"], ["z", "x", "y"], ["y", "w", "x"], ["x", "q", "r", "y"]]
        r.shuffle(orders)
        orders = orders[:r.randint(2, 5)]
        for j, o in enumerate(orders):
            self.emit("  %sif (k %% %d == %d) {" % ("" if j == 0 else "else ", len(orders), j))
            for f in o:
                self.emit("    b.%s = k + %d;" % (f, r.randint(0, 9)))
            self.emit("  }")
        self.emit("  return b;")
        self.emit("}")
        bags = self.fresh("bags")
        self.emit("var %s = [];" % bags)
        self.emit("for (var i = 0; i < %d; i = i + 1) %s.push(%s(i));" % (r.randint(len(orders), 12), bags, mk))
        rd = self.fresh("rd")
        self.emit("fun %s(b) { return b.x * 2 + b.y + b.m(); }" % rd)
        acc = self.fresh("acc")
        n = r.choice([1000, 2000, 3000])
        k1, k2, k3 = sorted(r.sample(range(100, n), 3))
        self.emit("var %s = 0;" % acc)
        self.emit("for (var i = 0; i < %d; i = i + 1) {" % n)
        self.emit("  var b = %s[i %% len(%s)];" % (bags, bags))
        self.emit("  if (i == %d) %s[1].w = 5;" % (k1, bags))
        self.emit("  if (i == %d) %s[0].m = fun () { return 100; };" % (k2, bags))
        self.emit("  if (i == %d) %s[2 %% len(%s)].y = %s;" % (k3, bags, bags, r.choice(["0.5", "(-0)", "2147483647", "(1 / 3)"])))
        self.emit("  %s = %s + %s(b) + b.sum();" % (acc, acc, rd))
        self.emit("  if (i %% %d == 0) print %s;" % (n // 6, acc))
        self.emit("}")
        self.emit("print %s;" % acc)
        self.emit("print %s[0].m(); print %s[1].m();" % (bags, bags))
        if self.chance(0.5):
            # an instance that grows many fields, in a random order, read back in another
            nf = r.randint(10, 40)
            fields = ["f%d" % j for j in range(nf)]
            big = self.fresh("wide")
            self.emit("var %s = %s();" % (big, bag))
            order = fields[:]
            r.shuffle(order)
            for f in order:
                self.emit("%s.%s = %d;" % (big, f, r.randint(0, 999)))
            r.shuffle(order)
            self.emit("var ws_%s = 0;" % big)
            self.emit("for (var i = 0; i < %d; i = i + 1) {" % r.choice([100, 1000]))
            for f in order[:r.randint(3, 8)]:
                self.emit("  ws_%s = (ws_%s * 3 + %s.%s + i) %% 1000003;" % (big, big, big, f))
            self.emit("  %s.%s = i;" % (big, r.choice(order)))
            self.emit("}")
            self.emit("print ws_%s;" % big)
            self.emit("print %s;" % " + \" \" + ".join("str(%s.%s)" % (big, f) for f in order[:10]))

    def seg_closures(self, c):
        r = self.r
        mk = self.fresh("mkc")
        self.emit("fun %s(start) {" % mk)
        self.emit("  var n = start;")
        self.emit("  var hist = [];")
        self.emit("  fun inc(d) { n = (n + d) %% %d; if (len(hist) < 5) hist.push(n); return n; }" % r.choice([1000003, 97, 65536]))
        self.emit("  fun get() { return n; }")
        self.emit("  var reset = fun () { var old = n; n = start; return old; };")
        self.emit("  fun hist_() { return hist; }")
        self.emit("  return [inc, get, reset, hist_];")
        self.emit("}")
        p = self.fresh("pc")
        self.emit("var %s = %s(%d);" % (p, mk, r.randint(0, 100)))
        n = r.choice([100, 1000, 3000])
        self.emit("for (var i = 0; i < %d; i = i + 1) {" % n)
        self.emit("  %s[0](i %% %d);" % (p, r.randint(2, 11)))
        self.emit("  if (i == %d) print %s[2]();" % (r.randrange(n), p))
        self.emit("  if (i %% %d == 0) print %s[1]();" % (n // 4, p))
        self.emit("}")
        self.emit("print %s[1](); print %s[3]();" % (p, p))
        # nested three levels, upvalue of upvalue mutated
        o = self.fresh("outer")
        self.emit("fun %s() {" % o)
        self.emit("  var a = %d;" % r.randint(0, 9))
        self.emit("  fun mid() {")
        self.emit("    var b = %d;" % r.randint(0, 9))
        self.emit("    fun inner() { a = a + b; b = b + 1; return a * 10 + b; }")
        self.emit("    return inner;")
        self.emit("  }")
        self.emit("  var f = mid();")
        self.emit("  var g = mid();")
        self.emit("  print f(); print g(); print f(); print a;")
        self.emit("  a = 100;")
        self.emit("  return f;")
        self.emit("}")
        self.emit("var f_%s = %s();" % (o, o))
        self.emit("print f_%s(); print f_%s();" % (o, o))
        # capture semantics of for vs for-in vs block var
        fs = self.fresh("fs")
        self.emit("var %s = [];" % fs)
        self.emit("for (var i = 0; i < 3; i = i + 1) %s.push(fun () { return i; });" % fs)
        self.emit("for (var x in [10, 20, 30]) %s.push(fun () { return x; });" % fs)
        self.emit("for (var i = 0; i < 3; i = i + 1) { var j = i * i; %s.push(fun () { j = j + 1; return j; }); }" % fs)
        self.emit("var line_%s = \"\";" % fs)
        self.emit("for (var f in %s) line_%s = line_%s + str(f()) + \" \";" % (fs, fs, fs))
        self.emit("print line_%s;" % fs)
        self.emit("print %s[7]() + %s[7]();" % (fs, fs))
        # closure accumulating in a hot loop
        tot = self.fresh("tot")
        self.emit("var %s = 0;" % tot)
        self.emit("var add_%s = fun (d) { %s = %s + d; return %s; };" % (tot, tot, tot, tot))
        n = r.choice([500, 2000])
        self.emit("for (var i = 0; i < %d; i = i + 1) add_%s(i %% %d - %d);" % (n, tot, r.randint(2, 9), r.randint(0, 3)))
        self.emit("print %s;" % tot)
        for _ in range(r.randint(1, 3)):
            self.st_closure(c)

    def seg_lambdas(self, c):
        r = self.r
        fs = self.fresh("lf")
        lams = []
        for _ in range(r.randint(2, 5)):
            lams.append(self.lambda_lit(c, 2))
        self.emit("var %s = [%s];" % (fs, ", ".join(lams)))
        ap = self.fresh("apply")
        self.emit("fun %s(f, x) { return f(x); }" % ap)
        acc = self.fresh("acc")
        n = r.choice([300, 1500, 3000])
        self.emit("var %s = 0;" % acc)
        self.emit("for (var i = 0; i < %d; i = i + 1) {" % n)
        self.emit("  %s = (%s + %s(%s[i %% len(%s)], i)) %% 1000003;" % (acc, acc, ap, fs, fs))
        self.emit("  if (i %% %d == 0) print %s;" % (n // 5, acc))
        self.emit("}")
        self.emit("print %s;" % acc)
        comp = self.fresh("compose")
        self.emit("fun %s(f, g) { return fun (x) { return f(g(x)); }; }" % comp)
        self.emit("var cf_%s = %s(%s[0], %s[len(%s) - 1]);" % (comp, comp, fs, fs, fs))
        self.emit("print cf_%s(%d); print cf_%s;" % (comp, r.randint(0, 99), comp))
        ops = self.fresh("ops")
        self.emit('var %s = {"add": fun (a, b) { return a + b; }, "cat": fun (a, b) { return str(a) + str(b); }, "mul": fun (a, b) { return a * b; }};' % ops)
        self.emit("for (var k in %s) print k + \" \" + str(%s[k](%s, %s));" % (ops, ops, self.nexpr(c, 1), self.nexpr(c, 1)))
        self.emit("fun () { print \"iife %s\"; }();" % ops)
        self.emit("print (fun (x) { return x * 2; })(%s);" % self.nexpr(c, 1))
        lf = self.fresh("lfact")
        self.emit("var %s = nil;" % lf)
        self.emit("%s = fun (n) { if (n < 2) return 1; return n * %s(n - 1); };" % (lf, lf))
        self.emit("print %s(%d);" % (lf, r.randint(5, 25)))
        self.emit("print %s[0];" % fs)

    def seg_typechange(self, c):
        r = self.r
        kinds = ["int", "big", "frac", "nan", "negzero", "str", "nil", "bool", "inst", "list", "inf"]
        phases = [r.choice(["int", "int", "big", "frac"])] + r.sample(kinds, r.randint(1, 3))
        n = r.choice([1500, 2000, 3000])
        # the later phases are short: their values allocate (the cost of --gc-verify)
        cuts = sorted(r.sample(range(n - 700, n - 10), len(phases) - 1))
        pool = self.fresh("pool")
        self.emit('var %s = ["s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9"];' % pool)
        ipool = self.fresh("ipool")
        c0 = self.classes[0][0]
        self.emit("var %s = [%s(1, 1), %s(2, 3), [1], [2, 3], %s, \"str\"];" % (ipool, c0, self.classes[-1][0], c0))
        vals = {"int": "i * 3", "big": "i * 2147483647", "frac": "i + 0.5", "nan": "(0 / 0)",
                "negzero": "(-0)", "str": "%s[i %% 10]" % pool, "nil": "nil", "bool": "i % 2 == 0",
                "inst": "%s[i %% 2]" % ipool, "list": "%s[2 + i %% 2]" % ipool,
                "inf": "(1 / 0)"}
        only_numstr = all(p in ("int", "big", "frac", "nan", "negzero", "str", "inf") for p in phases)
        f = self.fresh("tc")
        self.emit("fun %s(x) {" % f)
        if only_numstr and self.chance(0.6):
            self.emit("  return x + x;")
        else:
            self.emit('  if (type(x) == "number") return x * 3 - 1;')
            self.emit('  if (type(x) == "string") return x + "!";')
            self.emit('  if (x == nil) return "nil!";')
            self.emit("  return str(x);")
        self.emit("}")
        g = self.fresh("tg")
        self.emit("fun %s(x) { if (x) return x == x; return !x; }" % g)
        v = self.fresh("tv")
        acc = self.fresh("acc")
        self.emit("var %s = 0;" % v)
        self.emit("var %s = 0;" % acc)
        box = self.fresh("Box")
        self.emit("class %s { init(v) { this.v = v; } get() { return this.v; } }" % box)
        self.emit("var b_%s = %s(0);" % (box, box))
        self.emit("for (var i = 0; i < %d; i = i + 1) {" % n)
        self.ind += 1
        for j, p in enumerate(phases):
            if j == 0:
                self.emit("if (i < %d) %s = %s;" % (cuts[0] if cuts else n, v, vals[p]))
            elif j < len(phases) - 1:
                self.emit("else if (i < %d) %s = %s;" % (cuts[j], v, vals[p]))
            else:
                self.emit("else %s = %s;" % (v, vals[p]))
        self.emit("b_%s.v = %s;" % (box, v))
        self.emit("var r = %s(b_%s.get());" % (f, box))
        self.emit('if (type(r) == "number") { if (r - r == 0) %s = (%s + r) %% 1000000007; }' % (acc, acc))
        self.emit('else if (type(r) == "string") %s = %s + len(r);' % (acc, acc))
        self.emit("else %s = %s + 1;" % (acc, acc))
        self.emit("if (%s(%s)) %s = %s + 1;" % (g, v, acc, acc))
        marks = " or ".join("i == %d or i == %d" % (x - 1, x) for x in cuts) or "false"
        self.emit("if (i %% %d == 0 or %s) print str(i) + \" \" + str(r) + \" \" + str(%s);" % (n // 4, marks, acc))
        self.ind -= 1
        self.emit("}")
        self.emit("print %s;" % acc)
        # a number that grows through int32, 2^53 and into inf
        x = self.fresh("gx")
        self.emit("var %s = 1;" % x)
        m = r.choice([3, 7, 10, 1000])
        self.emit("for (var i = 0; i < %d; i = i + 1) {" % r.choice([400, 800]))
        self.emit("  %s = %s * %d + 1;" % (x, x, m))
        self.emit("  if (i %% %d == 0) print %s;" % (r.choice([7, 13, 40]), x))
        self.emit("}")
        self.emit("print %s; print %s - %s; print -%s;" % (x, x, x, x))

    def seg_globals(self, c):
        """Top level only: globals and global functions replaced while in use."""
        r = self.r
        g = self.fresh("gf")
        u = self.fresh("user")
        self.emit("fun %s(x) { return x + %d; }" % (g, r.randint(1, 9)))
        self.emit("fun %s(x) { return %s(x) * 2; }" % (u, g))
        acc = self.fresh("acc")
        n = r.choice([1000, 2000, 3000])
        k = r.randint(300, n - 100)
        self.emit("var %s = 0;" % acc)
        self.emit("for (var i = 0; i < %d; i = i + 1) {" % n)
        repl = r.choice(["fun (x) { return x - 3; }", "fun (x) { return x * x % 1000; }", "%s" % (self.helpers[0].name if self.helpers and self.helpers[0].params == ["int"] and self.helpers[0].ret == "int"
                                     and self.helpers[0].cost <= 20 and self.helpers[0].allocs == 0 else "fun (x) { return 0; }")])
        self.emit("  if (i == %d) %s = %s;" % (k, g, repl))
        self.emit("  %s = (%s + %s(i)) %% 1000003;" % (acc, acc, u))
        self.emit("  if (i %% %d == 0 or i == %d) print %s;" % (n // 5, k, acc))
        self.emit("}")
        self.emit("print %s;" % acc)
        self.emit("fun %s(x) { return x * 3; }" % g)
        self.emit("print %s(5);" % u)
        # a global variable changing type under a reader
        gv = self.fresh("gv")
        rd = self.fresh("rdg")
        self.emit("var %s = %d;" % (gv, r.randint(0, 100)))
        self.emit("fun %s() { return %s + %s; }" % (rd, gv, gv))
        n = r.choice([500, 2000])
        k = r.randint(n - 200, n - 10)
        self.emit("for (var i = 0; i < %d; i = i + 1) {" % n)
        self.emit('  if (i == %d) %s = "%s";' % (k, gv, r.choice(["ab", "", "x"])))
        self.emit("  var r = %s();" % rd)
        self.emit("  if (i %% %d == 0 or i == %d) print r;" % (n // 4, k))
        self.emit("}")
        self.emit("var %s = 0.5;" % gv)
        self.emit("print %s();" % rd)
        # a class replaced
        K = self.fresh("K")
        self.emit("class %s { v() { return 1; } }" % K)
        self.emit("class %s_2 { v() { return 2; } }" % K)
        self.emit("fun make%s() { return %s().v(); }" % (K, K))
        self.emit("var ks_%s = 0;" % K)
        self.emit("for (var i = 0; i < 1000; i = i + 1) {")
        self.emit("  if (i == %d) { class %s { v() { return 3; } } ks_%s = ks_%s + %s().v(); }" % (r.randint(0, 999), K, K, K, K))
        self.emit("  if (i == %d) %s = %s_2;" % (r.randint(0, 999), K, K))
        self.emit("  ks_%s = ks_%s + make%s();" % (K, K, K))
        self.emit("}")
        self.emit("print ks_%s;" % K)
        self.emit("class %s { v() { return 5; } }" % K)
        self.emit("print make%s();" % K)
        # a builtin replaced and restored
        if self.chance(0.5):
            sv = self.fresh("savedLen")
            self.emit("var %s = len;" % sv)
            self.emit("fun lenUser_%s(x) { return len(x); }" % sv)
            self.emit("var lt_%s = 0;" % sv)
            self.emit("for (var i = 0; i < 1000; i = i + 1) {")
            self.emit("  if (i == %d) len = fun (x) { return 1000; };" % r.randint(100, 800))
            self.emit('  lt_%s = lt_%s + lenUser_%s("abc");' % (sv, sv, sv))
            self.emit("}")
            self.emit("len = %s;" % sv)
            self.emit("print lt_%s; print len(\"abcd\");" % sv)
        if self.chance(0.3):
            self.emit("var sq_ = Math.sqrt;")
            self.emit("Math.sqrt = fun (x) { return -1; };")
            self.emit("print Math.sqrt(4);")
            self.emit("Math.sqrt = sq_;")
            self.emit("print Math.sqrt(16);")

    def seg_recursion(self, c):
        r = self.r
        k = r.randrange(6)
        fib = self.fresh("fib")
        self.emit("fun %s(n) { if (n < 2) return n; return %s(n - 1) + %s(n - 2); }" % (fib, fib, fib))
        self.emit("print %s(%d);" % (fib, r.randint(10, 18)))
        acc = self.fresh("acc")
        self.emit("var %s = 0;" % acc)
        self.emit("for (var i = 0; i < %d; i = i + 1) %s = %s + %s(i %% %d);" % (r.choice([100, 400]), acc, acc, fib, r.randint(3, 10)))
        self.emit("print %s;" % acc)
        if k in (0, 1):
            ack = self.fresh("ack")
            self.emit("fun %s(m, n) {" % ack)
            self.emit("  if (m == 0) return n + 1;")
            self.emit("  if (n == 0) return %s(m - 1, 1);" % ack)
            self.emit("  return %s(m - 1, %s(m, n - 1));" % (ack, ack))
            self.emit("}")
            self.emit("print %s(2, %d); print %s(3, %d);" % (ack, r.randint(0, 6), ack, r.randint(0, 3)))
        if k in (1, 2):
            ev, od = self.fresh("isEven"), self.fresh("isOdd")
            self.emit("var %s = nil;" % od)
            self.emit("fun %s(n) { if (n == 0) return true; return %s(n - 1); }" % (ev, od))
            self.emit("fun %s_(n) { if (n == 0) return false; return %s(n - 1); }" % (od, ev))
            self.emit("%s = %s_;" % (od, od))
            self.emit("print %s(%d); print %s(%d);" % (ev, r.randint(0, 500), od, r.randint(0, 500)))
        if k in (2, 3):
            node = self.fresh("Node")
            self.emit("class %s {" % node)
            self.emit("  init(d, v) { this.v = v; if (d > 0) { this.l = %s(d - 1, v * 2); this.r = %s(d - 1, v * 2 + 1); } else { this.l = nil; this.r = nil; } }" % (node, node))
            self.emit("  sum() { var s = this.v; if (this.l != nil) s = s + this.l.sum(); if (this.r != nil) s = s + this.r.sum(); return s; }")
            self.emit("  depth() { if (this.l == nil) return 0; return 1 + this.l.depth(); }")
            self.emit("}")
            self.emit("var t_%s = %s(%d, 1);" % (node, node, r.randint(2, 7)))
            self.emit("print t_%s.sum(); print t_%s.depth();" % (node, node))
        if k in (3, 4):
            rv = self.fresh("rev")
            self.emit('fun %s(s) { if (len(s) <= 1) return s; return %s(s.substr(1, len(s))) + s[0]; }' % (rv, rv))
            self.emit('print %s("%s");' % (rv, r.choice(STR_LITS)))
            sm = self.fresh("sumto")
            self.emit("fun %s(xs, i) { if (i >= len(xs)) return 0; return xs[i] + %s(xs, i + 1); }" % (sm, sm))
            self.emit("print %s(%s, 0);" % (sm, self.ilist_lit(c, 1)))
        if k in (4, 5):
            h = self.fresh("hanoi")
            self.emit("fun %s(n, a, b, cc) { if (n == 0) return 0; return %s(n - 1, a, cc, b) + 1 + %s(n - 1, cc, b, a); }" % (h, h, h))
            self.emit("print %s(%d, 1, 2, 3);" % (h, r.randint(1, 10)))
            g = self.fresh("gcd")
            self.emit("fun %s(a, b) { if (b == 0) return a; return %s(b, a %% b); }" % (g, g))
            self.emit("print %s(%d, %d); print %s(%s, %s);" % (g, r.randint(1, 10 ** 6), r.randint(1, 10 ** 6), g, frac_lit(r), frac_lit(r)))
        dr = self.fresh("down")
        self.emit("fun %s(n) { if (n <= 0) return 0; var x = %s(n - 1); return x + n %% 7; }" % (dr, dr))
        self.emit("print %s(%d);" % (dr, r.choice([100, 1000, 5000])))

    def seg_intrange(self, c):
        r = self.r
        x = self.fresh("lx")
        self.emit("var %s = %d;" % (x, r.randint(1, 2 ** 31 - 1)))
        n = r.choice([200, 1000, 2000])
        self.emit("for (var i = 0; i < %d; i = i + 1) {" % n)
        k = r.randrange(3)
        if k == 0:
            self.emit("  %s = (%s * 1103515245 + 12345) %% 2147483648;" % (x, x))
        elif k == 1:
            self.emit("  %s = (%s * 1103515245 + 12345) & 2147483647;" % (x, x))
        else:
            self.emit("  %s = %s ^ ((%s << 13) & 4294967295);" % (x, x, x))
            self.emit("  %s = %s ^ (%s >> 17);" % (x, x, x))
            self.emit("  %s = %s ^ ((%s << 5) & 4294967295);" % (x, x, x))
        self.emit("  if (i %% %d == 0) print %s;" % (n // 5, x))
        self.emit("}")
        self.emit("print %s;" % x)
        s = r.choice([2147483640, 4294967290, -2147483655, 1073741820, 9007199254740980])
        y = self.fresh("sy")
        self.emit("var %s = 0;" % y)
        self.emit("for (var i = %d; i < %d; i = i + 1) { %s = %s + i; print i + i; print i * 2 - 1; }" % (s, s + r.randint(5, 12), y, y))
        self.emit("print %s;" % y)
        self.emit("for (var i = 94906260; i < 94906270; i = i + 1) print i * i;")
        self.emit("print %d * %d;" % (r.choice([65536, 46341, 2147483647]), r.choice([65536, 46341, 2147483647])))
        self.emit("for (var i = -3; i <= 3; i = i + 1) { print %d / i; print i %% 2; print (i - 0) * 0; }" % r.randint(1, 9))
        self.emit("print -2147483648 / -1; print -9223372036854775808 >> 0; print (1 << 31) | 0; print (1 << 32) ^ 1;")

    def seg_wide(self, c):
        """Calls with many arguments, functions with many locals (register pressure)."""
        r = self.r
        np_ = r.choice([4, 8, 12, 20, 40, 70])
        nl = r.choice([5, 20, 60, 120])
        f = self.fresh("wide")
        ps = ["q%d" % j for j in range(np_)]
        self.emit("fun %s(%s) {" % (f, ", ".join(ps)))
        self.ind += 1
        names = list(ps)
        for j in range(nl):
            a, b = r.choice(names), r.choice(names)
            op = r.choice(["+", "-", "*", "%", "+"])
            if op == "%":
                self.emit("var l%d = (%s %% %d);" % (j, a, r.choice([7, 97, 1000])))
            elif op == "*":
                self.emit("var l%d = (%s * %s) %% 1000003;" % (j, a, b))
            else:
                self.emit("var l%d = (%s %s %s) %% 1000003;" % (j, a, op, b))
            names.append("l%d" % j)
        n = r.choice([50, 500, 1500])
        picked = r.sample(names, min(6, len(names)))
        if n <= 50:
            self.emit("return [%s];" % ", ".join(picked))
        else:
            self.emit("return %s;" % " + ".join("%s * %d" % (x, 7 ** j) for j, x in enumerate(picked)))
        self.ind -= 1
        self.emit("}")
        args = [str(r.randint(-50, 50)) for _ in ps]
        self.emit("print %s(%s);" % (f, ", ".join(args)))
        acc = self.fresh("acc")
        self.emit("var %s = 0;" % acc)
        self.emit("for (var i = 0; i < %d; i = i + 1) {" % n)
        args = [r.choice(["i", "i + %d" % j, "%d" % r.randint(0, 9), "i %% %d" % r.randint(2, 9)]) for j in range(np_)]
        self.emit("  var rs = %s(%s);" % (f, ", ".join(args)))
        if n <= 50:
            self.emit("  %s = (%s + rs[%d] + rs[0]) %% 1000003;" % (acc, acc, r.randrange(len(picked))))
        else:
            self.emit("  %s = (%s + rs) %% 1000003;" % (acc, acc))
        self.emit("  if (i %% %d == 0) print rs;" % max(1, n // 3))
        self.emit("}")
        self.emit("print %s;" % acc)

    def seg_breakcont(self, c):
        r = self.r
        acc = self.fresh("bc")
        self.emit("var %s = 0;" % acc)
        n = r.choice([20, 100, 1000])
        self.emit("for (var i = 0; i < %d; i = i + 1) {" % n)
        self.emit("  if (i %% %d == 0) continue;" % r.randint(2, 7))
        self.emit("  var j = 0;")
        self.emit("  while (true) {")
        self.emit("    j = j + 1;")
        self.emit("    if (j > %d) break;" % r.randint(1, 5))
        self.emit("    if ((i + j) %% %d == 0) continue;" % r.randint(2, 5))
        self.emit("    %s = %s + i * j;" % (acc, acc))
        self.emit("  }")
        self.emit("  if (%s > %d) break;" % (acc, r.randint(1000, 10 ** 6)))
        self.emit("}")
        self.emit("print %s;" % acc)
        self.emit("for (var x in [1, 2, 3, 4, 5, 6]) { if (x == %d) break; if (x %% 2 == 0) continue; print x; }" % r.randint(2, 7))
        self.emit('for (var ch in "%s") { if (ch == " ") continue; print ch; }' % r.choice(["a b c", "kiln", "x y"]))

    SEGMENTS = [("random", 5), ("arith", 2), ("compare", 1.5), ("strings", 1.5),
                ("lists", 1.2), ("maps", 1), ("classes", 2), ("shapes", 1),
                ("closures", 1.2), ("lambdas", 1.2), ("typechange", 1.5),
                ("globals", 1), ("recursion", 1), ("intrange", 1), ("breakcont", 0.7),
                ("wide", 0.6)]
    TOPLEVEL_ONLY = {"globals"}

    def segment(self, kind, where):
        self.emit("print \"-- %s %s\";" % (kind, where))
        c = Ctx()
        if where == "fun":
            fn = self.fresh("seg")
            self.emit("fun %s() {" % fn)
            self.ind += 1
            c.fdepth = 1
            getattr(self, "seg_" + kind)(c)
            self.ind -= 1
            self.emit("}")
            self.emit("%s();" % fn)
        elif where == "block":
            self.emit("{")
            self.ind += 1
            c.frames.append([])
            getattr(self, "seg_" + kind)(c)
            self.ind -= 1
            self.emit("}")
        else:
            getattr(self, "seg_" + kind)(c)

    # ------------------------------------------------------------------ errors
    def error_segment(self):
        """The program's last segment: a deliberate runtime error."""
        r = self.r
        self.emit('print "-- error";')
        n = self.fresh("")
        obj = "eo%s" % n
        xs = "exs%s" % n
        mp = "em%s" % n
        c0 = self.classes[0][0]
        self.emit("var %s = %s(1, 2);" % (obj, c0))
        self.emit("var %s = [1, 2, 3];" % xs)
        self.emit("var %s = {};" % mp)
        self.emit("var hz%s = %s(3, 4);" % (n, c0))
        self.emit("hz%s.zz = 5;" % n)
        self.emit("fun one%s(a) { return a; }" % n)
        self.emit("fun two%s(a, b) { return a; }" % n)
        self.emit("class EC%s { init(a) { this.a = a; } }" % n)
        # (body of a function of v, good value, bad value); {i} is the loop counter
        ops = [
            ("return v + 1;", "{i}", '"s"'),
            ('return "n" + v;', "str({i})", "{i}"),
            ("return v * 2;", "{i}", "nil"),
            ("return v - 1;", "{i}", "true"),
            ("return v.val();", obj, "nil"),
            ("return v.a;", obj, "nil"),
            ("return v.zz;", "hz" + n, obj),
            ("return %s[v];" % xs, "{i} %% len(%s)" % xs, "len(%s)" % xs),
            ("return %s[v];" % xs, "0", "0.5"),
            ("return v & 255;", "{i}", "{i} + 0.5"),
            ("return ~v;", "{i}", "(0 / 0)"),
            ("return 1 << v;", "{i} % 64", r.choice(["64", "(-1)"])),
            ("return v(1);", "one" + n, "{i}"),
            ("return v(1);", "one" + n, "two" + n),
            ("if (v < 3) return 1; return 0;", "{i}", '"3"'),
            ("return -v;", "{i}", '"x"'),
            ('return "abc"[v];', "{i} % 3", "3"),
            ("%s[v] = 1; return 0;" % mp, "{i} % 10", "(0 / 0)"),
            ("var t = 0; for (var q in v) t = t + 1; return t;", "[1, 2]", "5"),
            ("return len(v);", '"abc"', "5"),
            ("return Math.sqrt(v);", "{i}", '"4"'),
            ("v.f = 1; return 0;", obj, "[1]"),
            ("return v.pop();", "[{i}]", "[]"),
            ("class Sub%s < v { } return 0;" % n, c0, "3"),
            ("if (v) return undefinedGlobal%s; return 0;" % n, "false", "true"),
            ("return %s.slice(0, v);" % xs, "{i} %% len(%s)" % xs, "len(%s) + 1" % xs),
            ('return "abc".replace(v, "x");', '"b"', '""'),
            ('return "abc".substr(v, 1);', "{i} % 4", "4"),
            ("return v[0];", "[{i}]", "5"),
            ("v[0] = 1; return 0;", "[{i}]", '"abc"'),
            ("return v(1, 2);", c0, "EC" + n),
            ('return "a,b".split(v);', '","', "5"),
        ]
        body, good, bad = r.choice(ops)
        op = "eop" + n
        self.emit("fun %s(v) {" % op)
        self.emit("  var before = 1;")
        self.emit("  %s" % body)
        self.emit("}")
        # a chain of callers: functions, methods, initializers, lambdas
        callee = op
        # allocations per call (the cost of --gc-stress --gc-verify in hot loops)
        allocs = 1 if any(x in body for x in ("class ", "for (", "Math.", "str(")) or "[" in good or "str(" in good else 0
        for j in range(r.randint(0, 4)):
            kind = r.choice(["fun", "method", "init", "lambda"])
            allocs += kind in ("method", "init")
            nm = "ew%s_%d" % (n, j)
            if kind == "fun":
                self.emit("fun %s(v) {" % nm)
                self.emit("  var r = %s(v);" % callee)
                self.emit("  return r;")
                self.emit("}")
            elif kind == "method":
                self.emit("class W%s {" % nm)
                self.emit("  go(v) {")
                self.emit("    return %s(v);" % callee)
                self.emit("  }")
                self.emit("}")
                self.emit("fun %s(v) { return W%s().go(v); }" % (nm, nm))
            elif kind == "init":
                self.emit("class I%s {" % nm)
                self.emit("  init(v) {")
                self.emit("    this.r = %s(v);" % callee)
                self.emit("  }")
                self.emit("}")
                self.emit("fun %s(v) { return I%s(v).r; }" % (nm, nm))
            else:
                self.emit("var %s = fun (v) {" % nm)
                self.emit("  return %s(v);" % callee)
                self.emit("};")
            callee = nm
        how = r.choice(["direct", "hot", "hot", "hot", "hotfun", "hotfun", "deep", "inline"])
        if self.chance(0.06):
            how = "overflow"
        if how == "direct":
            self.emit('print "about to fail";')
            self.emit("print %s(%s);" % (callee, good.format(i="7")))
            self.emit("print %s(%s);" % (callee, bad.format(i="7")))
        elif how in ("hot", "hotfun"):
            nn = r.choice([500, 1000, 2000, 3000] if allocs == 0 else [300, 500, 1000])
            k = r.randint(nn // 2, nn - 1)
            if how == "hotfun":
                self.emit("fun hotloop%s() {" % n)
                self.ind += 1
            self.emit("for (var i = 0; i < %d; i = i + 1) {" % nn)
            self.emit("  var v = %s;" % good.format(i="i"))
            self.emit("  if (i == %d) v = %s;" % (k, bad.format(i="i")))
            self.emit("  var res = %s(v);" % callee)
            self.emit("  if (i %% %d == 0) print res;" % (nn // 4))
            self.emit("}")
            if how == "hotfun":
                self.ind -= 1
                self.emit("}")
                self.emit("hotloop%s();" % n)
        elif how == "deep":
            self.emit("fun deep%s(d, v) {" % n)
            self.emit("  if (d == 0) return %s(v);" % callee)
            self.emit("  var r = deep%s(d - 1, v);" % n)
            self.emit("  return r;")
            self.emit("}")
            self.emit("print deep%s(3, %s);" % (n, good.format(i="7")))
            self.emit("print deep%s(%d, %s);" % (n, r.choice([5, 40, 55, 58, 59, 60, 61, 100, 300]), bad.format(i="7")))
        elif how == "inline":
            self.emit("for (var i = 0; i < 100; i = i + 1) {")
            self.emit("  var v = %s;" % good.format(i="i"))
            self.emit("  if (i == 99) v = %s;" % bad.format(i="i"))
            self.emit("  print %s(v);" % callee)
            self.emit("}")
        else:
            self.emit("fun so%s(d) { return so%s(d + 1) + 1; }" % (n, n))
            self.emit("print so%s(0);" % n)
        self.emit('print "not reached";')

    def generate(self):
        self.emit("// expect exit: %d" % (70 if self.error else 0))
        self.prelude()
        names = [k for k, _ in self.SEGMENTS]
        weights = [w for _, w in self.SEGMENTS]
        nseg = self.r.randint(6, 12)
        for _ in range(nseg):
            if self.work > WORK_MAX:
                break
            kind = self.r.choices(names, weights)[0]
            if kind in self.TOPLEVEL_ONLY:
                where = "top"
            else:
                where = self.r.choice(["top", "fun", "fun", "block"])
            self.segment(kind, where)
        if self.error:
            self.error_segment()
        self.emit('print "end";')
        return "\n".join(self.lines) + "\n"


def generate(seed, error=None):
    return Gen(seed, error).generate()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("seed", type=int)
    ap.add_argument("-o", "--out")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--error", action="store_true", help="force a final runtime error")
    g.add_argument("--no-error", action="store_true", help="never end with a runtime error")
    a = ap.parse_args()
    err = True if a.error else (False if a.no_error else None)
    text = generate(a.seed, err)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
