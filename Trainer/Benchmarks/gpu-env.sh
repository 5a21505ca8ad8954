# Sourced by the run-*.sh scripts on the GPU machine: finds the Python that has torch (the system one, else the
# machine's venv, ../shared/GPU.md), the LibTorch folder inside it (the Trainer and the benchmark program load that one
# with --libtorch, so GreenTrain and PyTorch run the same kernels), and the CUDA libraries of the nvidia wheels beside
# it. Sets python, libtorch and torch_library_path (for LD_LIBRARY_PATH: the benchmark program, unlike the Trainer,
# does not relaunch itself with the loader's path).
python=python3
"$python" -c "import torch" 2>/dev/null || python=/opt/torch/.venv/bin/python3
libtorch=$("$python" -c "import os, torch; print(os.path.join(os.path.dirname(torch.__file__), 'lib'))")
torch_library_path="$libtorch:$(find "$(dirname "$libtorch")/../nvidia" -maxdepth 2 -name lib -type d 2>/dev/null | tr '\n' ':')${LD_LIBRARY_PATH:-}"
