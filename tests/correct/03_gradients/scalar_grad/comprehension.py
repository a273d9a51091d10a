# style: a list comprehension over zipped points, sum() / len(), no type hints
def dmse_dw(x, y, w):
    terms = [2 * xi * (w * xi - yi) for xi, yi in zip(x, y, strict=True)]
    return float(sum(terms) / len(terms))
