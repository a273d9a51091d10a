# style: (g² − n) named and multiplied by itself (the sign inside cancels), x.pow(2)
def sqrt_loss(guess, n):
    miss = guess.pow(2) - n
    return miss * miss
