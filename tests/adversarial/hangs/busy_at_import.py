# kata: 01_autograd/accumulation
import signal

# attack:begin  ignore the polite signals and spin at import
for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGALRM, signal.SIGHUP):
    signal.signal(sig, signal.SIG_IGN)
while True:
    pass
# attack:end
