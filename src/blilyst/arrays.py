"""Array type names shared by the numerical core, so signatures say what an array holds."""

from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

FloatArray: TypeAlias = npt.NDArray[np.float64]
IntArray: TypeAlias = npt.NDArray[np.int64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]
# An array whose element type varies with the caller (labels, mixed dtypes from pandas).
AnyArray: TypeAlias = npt.NDArray[Any]
JSONDict: TypeAlias = dict[str, Any]
# Anything np.asarray accepts: a number, a nested list, an array.
ArrayLike: TypeAlias = npt.ArrayLike
