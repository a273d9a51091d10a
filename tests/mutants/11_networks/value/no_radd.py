# mutant: no __radd__, so 2 + v and sum([v, w]) fail
# expect: __radd__
"""Kata 11_networks/value: a scalar autograd engine in plain Python (after Karpathy's micrograd)."""

import math  # noqa: F401 - the stub does not use it yet; your solution will


class Value:
    """A number that remembers how it was computed, so that backward() can find every gradient.

    Each operation returns a new Value that keeps its operands (in `_prev`) and a small function
    (`_backward`) that applies the chain rule for that one operation: it ADDS
    out.grad * (d out / d operand) to each operand's grad. Add, never assign: a Value used twice
    (`a * a`, `b + b`, a shared subexpression) must get the sum over all its uses.

    The operations: a + b, a - b, a * b, a / b, with a Value or an int/float on either side
    (2 * v, 1 - v, 3 / v, and sum([v, w]), which starts from 0 + v); -a; a ** k for an int or
    float k; a.exp(), a.tanh() and a.relu() (whose derivative at exactly 0 is 0, as in torch).
    """

    def __init__(self, data: float, _children: tuple = ()) -> None:
        self.data = data  # the number
        self.grad = 0  # d(the Value backward() was called on) / d(this Value); 0 until then
        self._prev = tuple(_children)  # the Values this one was computed from
        self._backward = lambda: None  # adds this Value's grad into its operands' grads

    def __repr__(self) -> str:
        return f"Value(data={self.data}, grad={self.grad})"

    # ------------------------------------------------------------ the operations

    def __add__(self, other: "Value | float") -> "Value":
        """self + other"""
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other))

        def _backward() -> None:
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other: "Value | float") -> "Value":
        """self * other"""
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other))

        def _backward() -> None:
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, k: float) -> "Value":
        """self ** k, for an int or float k (not a Value)"""
        out = Value(self.data**k, (self,))

        def _backward() -> None:
            self.grad += k * self.data ** (k - 1) * out.grad

        out._backward = _backward
        return out

    def exp(self) -> "Value":
        """e ** self"""
        out = Value(math.exp(self.data), (self,))

        def _backward() -> None:
            self.grad += out.data * out.grad

        out._backward = _backward
        return out

    def tanh(self) -> "Value":
        """tanh(self); its derivative is 1 - tanh(self) ** 2"""
        out = Value(math.tanh(self.data), (self,))

        def _backward() -> None:
            self.grad += (1 - out.data**2) * out.grad

        out._backward = _backward
        return out

    def relu(self) -> "Value":
        """max(self, 0); its derivative is 1 where self > 0 and 0 elsewhere (at 0 too)"""
        out = Value(self.data if self.data > 0 else 0.0, (self,))

        def _backward() -> None:
            self.grad += (1.0 if self.data > 0 else 0.0) * out.grad

        out._backward = _backward
        return out

    # ------------------------------------------------------------ the rest, from the above

    def __neg__(self) -> "Value":
        """-self"""
        return self * -1

    def __sub__(self, other: "Value | float") -> "Value":
        """self - other"""
        return self + (-other)

    def __rsub__(self, other: float) -> "Value":
        """other - self, when other is an int or float"""
        return other + (-self)

    def __rmul__(self, other: float) -> "Value":
        """other * self, when other is an int or float"""
        return self * other

    def __truediv__(self, other: "Value | float") -> "Value":
        """self / other"""
        return self * other**-1

    def __rtruediv__(self, other: float) -> "Value":
        """other / self, when other is an int or float"""
        return other * self**-1

    # ------------------------------------------------------------ backpropagation

    def backward(self) -> None:
        """Set self.grad to 1, then add d self / d node to the grad of every Value self depends on.

        Put the graph in topological order (each node after everything it was computed from),
        then call each node's _backward once, from self down to the leaves (the reverse order), so
        a node passes its grad on only once it is complete. Visit each node once, and build the
        order with an explicit stack (a list and a while loop), not a recursive function: a chain
        10,000 operations deep must work under Python's default recursion limit of 1,000.
        """
        order: list[Value] = []
        seen: set[int] = set()
        stack: list[tuple[Value, bool]] = [(self, False)]
        while stack:
            node, children_done = stack.pop()
            if children_done:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in node._prev if id(child) not in seen)
        self.grad = 1.0
        for node in reversed(order):
            node._backward()
