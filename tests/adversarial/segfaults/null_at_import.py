# kata: 06_sqrt/sqrt_guess
import ctypes

# attack:begin  dereference a null pointer while being imported
ctypes.string_at(0)
# attack:end
