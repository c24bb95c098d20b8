//! The hot loops behind the networks: matrix products that skip the zeros of MNIST images,
//! row-wise softmax, and splitting work across threads.
//!
//! About 80% of an MNIST pixel vector is exactly 0, so `x · W` and `xᵀ · dz` skip those
//! entries. Skipping a term `0 · w` leaves every sum as it was (for finite weights), so the
//! results are the book's; only the order of additions differs from a BLAS product.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis};

/// Rows of work below which splitting across threads costs more than it saves.
const PARALLEL_ROWS: usize = 1000;

/// The nonzero entries of a matrix, row by row (compressed sparse rows).
pub(crate) struct SparseRows {
    /// Row `r`'s entries are `entries[starts[r]..starts[r + 1]]`.
    starts: Vec<usize>,
    /// (column, value) pairs.
    entries: Vec<(usize, f64)>,
    cols: usize,
}

impl SparseRows {
    /// The nonzero entries of `x`, or `None` when more than half of them are nonzero (then a
    /// dense product is faster).
    pub(crate) fn of(x: &ArrayView2<f64>) -> Option<SparseRows> {
        let (n, cols) = x.dim();
        let x = x.as_standard_layout();
        let values = x.as_slice().expect("standard layout");
        let mut starts = Vec::with_capacity(n + 1);
        let mut entries = Vec::with_capacity(values.len() / 4);
        starts.push(0);
        for row in values.chunks_exact(cols.max(1)).take(n) {
            for (i, &v) in row.iter().enumerate() {
                if v != 0.0 {
                    entries.push((i, v));
                }
            }
            if entries.len() * 2 > values.len() {
                return None;
            }
            starts.push(entries.len());
        }
        Some(SparseRows {
            starts,
            entries,
            cols,
        })
    }

    fn rows(&self) -> usize {
        self.starts.len() - 1
    }

    fn row(&self, r: usize) -> &[(usize, f64)] {
        &self.entries[self.starts[r]..self.starts[r + 1]]
    }

    /// `x · w` for `w` of shape (cols, m).
    fn dot(&self, w: ArrayView2<f64>) -> Array2<f64> {
        let (n, m) = (self.rows(), w.ncols());
        let w = w.as_standard_layout();
        let ws = w.as_slice().expect("standard layout");
        let mut out = vec![0.0; n * m];
        let rows = |first_row: usize, out: &mut [f64]| {
            for (r, orow) in out.chunks_exact_mut(m).enumerate() {
                for &(i, xi) in self.row(first_row + r) {
                    axpy(orow, xi, &ws[i * m..(i + 1) * m]);
                }
            }
        };
        let workers = threads();
        if n < PARALLEL_ROWS || workers == 1 || m == 0 {
            rows(0, &mut out);
        } else {
            let chunk_rows = n.div_ceil(workers);
            std::thread::scope(|s| {
                for (c, chunk) in out.chunks_mut(chunk_rows * m).enumerate() {
                    let rows = &rows;
                    s.spawn(move || rows(c * chunk_rows, chunk));
                }
            });
        }
        Array2::from_shape_vec((n, m), out).expect("shape n x m")
    }

    /// `xᵀ · d` for `d` of shape (rows, m).
    fn dot_tn(&self, d: ArrayView2<f64>) -> Array2<f64> {
        let m = d.ncols();
        let d = d.as_standard_layout();
        let ds = d.as_slice().expect("standard layout");
        let mut out = vec![0.0; self.cols * m];
        for r in 0..self.rows() {
            let drow = &ds[r * m..(r + 1) * m];
            for &(i, xi) in self.row(r) {
                axpy(&mut out[i * m..(i + 1) * m], xi, drow);
            }
        }
        Array2::from_shape_vec((self.cols, m), out).expect("shape cols x m")
    }
}

/// `y += a * x`, element-wise: the inner loop of both sparse products.
///
/// On x86-64 processors with AVX it runs 4 lanes wide instead of SSE2's 2. Multiplication
/// and addition stay separate (no fused multiply-add), so every result is bit-for-bit the
/// same with or without AVX.
#[inline]
fn axpy(y: &mut [f64], a: f64, x: &[f64]) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx") {
            // SAFETY: the processor supports AVX, checked just above.
            unsafe { axpy_avx(y, a, x) };
            return;
        }
    }
    axpy_portable(y, a, x);
}

#[inline(always)]
fn axpy_portable(y: &mut [f64], a: f64, x: &[f64]) {
    for (y, &x) in y.iter_mut().zip(x) {
        *y += a * x;
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
unsafe fn axpy_avx(y: &mut [f64], a: f64, x: &[f64]) {
    axpy_portable(y, a, x);
}

/// The number of threads worth using on this machine.
pub(crate) fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// `x · w`, skipping zero entries of `x` when most of them are zero.
pub(crate) fn dot(x: ArrayView2<f64>, w: ArrayView2<f64>) -> Array2<f64> {
    dot_with(x, SparseRows::of(&x).as_ref(), w)
}

/// `x · w`, with `sparse` the nonzero entries of `x` if it is mostly zero.
pub(crate) fn dot_with(
    x: ArrayView2<f64>,
    sparse: Option<&SparseRows>,
    w: ArrayView2<f64>,
) -> Array2<f64> {
    match sparse {
        Some(sparse) => sparse.dot(w),
        None => x.dot(&w),
    }
}

/// `xᵀ · d`, with `sparse` the nonzero entries of `x` if it is mostly zero.
pub(crate) fn dot_tn_with(
    x: ArrayView2<f64>,
    sparse: Option<&SparseRows>,
    d: ArrayView2<f64>,
) -> Array2<f64> {
    match sparse {
        Some(sparse) => sparse.dot_tn(d),
        None => x.t().dot(&d),
    }
}

/// `xᵀ · d`, skipping zero entries of `x` when most of them are zero.
pub(crate) fn dot_tn(x: ArrayView2<f64>, d: ArrayView2<f64>) -> Array2<f64> {
    dot_tn_with(x, SparseRows::of(&x).as_ref(), d)
}

/// `x · w + b` (the book's `np.dot(x, W) + b`).
pub(crate) fn affine(x: ArrayView2<f64>, w: ArrayView2<f64>, b: ArrayView1<f64>) -> Array2<f64> {
    let mut a = dot(x, w);
    a += &b;
    a
}

/// Softmax of each row, in place, with the overflow guard.
pub(crate) fn softmax_rows(a: &mut Array2<f64>) {
    for mut row in a.rows_mut() {
        let c = row.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
        row.mapv_inplace(|v| (v - c).exp());
        let sum = row.sum();
        row.mapv_inplace(|v| v / sum);
    }
}

/// Column sums (the book's `np.sum(dz, axis=0)`).
pub(crate) fn sum_rows(d: &Array2<f64>) -> Array1<f64> {
    d.sum_axis(Axis(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;
    use ndarray::array;

    #[test]
    fn sparse_products_equal_dense_ones() {
        // 6 of 8 entries zero, so the sparse path is taken
        let x = array![[0.0, 2.0, 0.0, 0.0], [0.0, 0.0, 0.0, -1.5]];
        let w = array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]];
        assert!(SparseRows::of(&x.view()).is_some());
        assert_abs_diff_eq!(dot(x.view(), w.view()), array![[6.0, 8.0], [-10.5, -12.0]]);
        let d = array![[1.0, -1.0], [2.0, 0.5]];
        let expected = array![[0.0, 0.0], [2.0, -2.0], [0.0, 0.0], [-3.0, -0.75]];
        assert_abs_diff_eq!(dot_tn(x.view(), d.view()), expected);
    }

    #[test]
    fn threaded_sparse_product_equals_single_threaded_math() {
        let n = 2 * PARALLEL_ROWS + 3;
        let x = Array2::from_shape_fn(
            (n, 5),
            |(r, c)| if (r + c) % 4 == 0 { r as f64 } else { 0.0 },
        );
        let w = Array2::from_shape_fn((5, 3), |(r, c)| (r * 3 + c) as f64 * 0.5);
        let expected = Array2::from_shape_fn((n, 3), |(r, c)| {
            (0..5).map(|i| x[[r, i]] * w[[i, c]]).sum::<f64>()
        });
        assert_abs_diff_eq!(dot(x.view(), w.view()), expected, epsilon = 1e-9);
    }
}
