"""The package is described in pyproject.toml; this adds the optional C scorer.

`optional=True`: where no C compiler is at hand the install still succeeds and interlock runs the
same scorer in pure Python (interlock.match.scoring), only slower.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "interlock.match._native",
            ["src/interlock/match/_native.c"],
            extra_compile_args=["-O2"],
            optional=True,
        )
    ]
)
