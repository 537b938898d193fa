import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

# Figures render headless: use Agg unless a backend was chosen (e.g. MPLBACKEND=Agg).
import os  # noqa: E402

if "MPLBACKEND" not in os.environ:
    import matplotlib  # noqa: E402

    matplotlib.use("Agg")
