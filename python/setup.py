"""Builds keel._keel with keel's own CMake build (the PEP 517 backend is setuptools.build_meta).

The extension is the CMake target `keel_python` of the repository one level up; it is configured
with tests and benchmarks off, for the Python running pip (its headers must be installed: Debian's
python3-dev), and its shared object is copied into the wheel next to the pure-Python package.
Set KEEL_CMAKE_ARGS for extra configure arguments (e.g. -DCMAKE_CXX_COMPILER_LAUNCHER=ccache), or
KEEL_BUILD_DIR to an existing keel build directory (configured for the same Python) to reuse it.
"""

import os
import shlex
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        out = Path(self.get_ext_fullpath(ext.name)).resolve()
        if os.environ.get("KEEL_BUILD_DIR"):
            build = Path(os.environ["KEEL_BUILD_DIR"]).resolve()
        else:
            build = Path(self.build_temp).resolve() / "cmake"
            build.mkdir(parents=True, exist_ok=True)
            configure = ["cmake", "-S", str(ROOT), "-B", str(build), "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
                         "-DKEEL_BUILD_TESTS=OFF", "-DKEEL_BUILD_BENCH=OFF", "-DKEEL_BUILD_PYTHON=ON",
                         f"-DPython3_EXECUTABLE={sys.executable}"]
            configure += shlex.split(os.environ.get("KEEL_CMAKE_ARGS", ""))
            subprocess.run(configure, check=True)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 2))
        subprocess.run(["cmake", "--build", str(build), "--target", "keel_python", "-j", jobs], check=True)
        built = next((build / "python" / "keel").glob("_keel*.so"))
        out.parent.mkdir(parents=True, exist_ok=True)
        self.copy_file(str(built), str(out))


setup(ext_modules=[CMakeExtension("keel._keel")], cmdclass={"build_ext": CMakeBuild})
