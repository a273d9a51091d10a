import builtins

builtins.FORGED = True
