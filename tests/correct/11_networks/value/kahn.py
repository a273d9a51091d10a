# style: Kahn's algorithm (counts of users, a queue from the output), every operation written out directly
"""Kata 11_networks/value: a scalar autograd engine in plain Python (after Karpathy's micrograd)."""

import math
from collections import deque


class Value:
    def __init__(self, data, _children=(), _locals=()):
        self.data = data
        self.grad = 0
        self._prev = tuple(_children)
        self._locals = tuple(_locals)  # d self / d child, one per child

    @staticmethod
    def _wrap(x):
        return x if isinstance(x, Value) else Value(x)

    def __add__(self, other):
        other = Value._wrap(other)
        return Value(self.data + other.data, (self, other), (1.0, 1.0))

    def __radd__(self, other):
        return Value._wrap(other) + self

    def __sub__(self, other):
        other = Value._wrap(other)
        return Value(self.data - other.data, (self, other), (1.0, -1.0))

    def __rsub__(self, other):
        return Value._wrap(other) - self

    def __mul__(self, other):
        other = Value._wrap(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data))

    def __rmul__(self, other):
        return Value._wrap(other) * self

    def __truediv__(self, other):
        other = Value._wrap(other)
        return Value(self.data / other.data, (self, other),
                     (1 / other.data, -self.data / other.data**2))

    def __rtruediv__(self, other):
        return Value._wrap(other) / self

    def __neg__(self):
        return Value(-self.data, (self,), (-1.0,))

    def __pow__(self, k):
        return Value(self.data**k, (self,), (k * self.data ** (k - 1),))

    def exp(self):
        e = math.exp(self.data)
        return Value(e, (self,), (e,))

    def tanh(self):
        e2 = math.exp(2 * self.data)
        t = (e2 - 1) / (e2 + 1)
        return Value(t, (self,), (1 - t * t,))

    def relu(self):
        return Value(max(self.data, 0), (self,), (1.0 if self.data > 0 else 0.0,))

    def backward(self):
        # count, for each node, how many uses it has inside the graph of self
        users = {id(self): 0}
        nodes = {id(self): self}
        todo = [self]
        while todo:
            node = todo.pop()
            for child in node._prev:
                if id(child) not in users:
                    users[id(child)] = 0
                    nodes[id(child)] = child
                    todo.append(child)
                users[id(child)] += 1
        self.grad = 1
        ready = deque([self])
        while ready:
            node = ready.popleft()
            for child, local in zip(node._prev, node._locals, strict=True):
                child.grad += local * node.grad
                users[id(child)] -= 1
                if users[id(child)] == 0:
                    ready.append(child)
