"""Settings for every test pytest collects: tests/ and the code blocks in docs/."""

import torch

# Snippets and page examples use tiny tensors: one thread is faster than a
# pool (no hand-offs) and unaffected by the build sharing CI's two cores.
torch.set_num_threads(1)
