//! The hot loops behind the networks: matrix products that skip the zeros of MNIST images,
//! row-wise softmax, and splitting work across threads.
//!
//! About 80% of an MNIST pixel vector is exactly 0, so `x · W` and `xᵀ · dz` skip those
//! entries. Skipping a term `0 · w` leaves every sum as it was (for finite weights), so the
//! results are the book's; only the order of additions differs from a BLAS product.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis};

/// Rows of work below which splitting across threads costs more than it saves.
const PARALLEL_ROWS: usize = 1000;

/// Multiply-adds below which a sparse product stays on one thread. Handing work to another
/// thread and waiting for it costs more than a mini-batch's product (measured: a batch of
/// 100 MNIST images, 700,000 multiply-adds, is faster on one thread), so only products over
/// thousands of images, such as an accuracy over the training set, are split.
const PARALLEL_WORK: usize = 2_000_000;

/// The nonzero entries of a mostly-zero matrix, row by row (compressed sparse rows).
pub(crate) struct SparseRows {
    /// Row `r`'s entries are `entries[starts[r]..starts[r + 1]]`.
    starts: Vec<usize>,
    /// (column, value) pairs.
    entries: Vec<(usize, f64)>,
    cols: usize,
}

/// Output columns computed together in [`SparseRows::row_dot`]: 16 `f64` are four AVX
/// registers, kept in registers while the row's nonzero entries stream by.
const LANES: usize = 16;

impl SparseRows {
    /// The nonzero entries of `x`, or `None` when more than half of them are nonzero (then a
    /// dense product is faster). Large matrices are scanned by several threads.
    pub(crate) fn of(x: &ArrayView2<f64>) -> Option<SparseRows> {
        let (n, cols) = x.dim();
        let x = x.as_standard_layout();
        let values = x.as_slice().expect("standard layout");
        let workers = rayon::current_num_threads();
        let sparse = if n < PARALLEL_ROWS || workers == 1 {
            Self::scan(values, cols, n)?
        } else {
            let chunk_rows = n.div_ceil(workers);
            let parts: Vec<Option<SparseRows>> = std::thread::scope(|s| {
                let handles: Vec<_> = values
                    .chunks(chunk_rows * cols)
                    .map(|chunk| s.spawn(move || Self::scan(chunk, cols, chunk.len() / cols)))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("scan thread"))
                    .collect()
            });
            let mut all = SparseRows {
                starts: vec![0],
                entries: Vec::new(),
                cols,
            };
            for part in parts {
                let part = part?;
                let offset = all.entries.len();
                all.entries.extend_from_slice(&part.entries);
                all.starts
                    .extend(part.starts[1..].iter().map(|s| s + offset));
            }
            all
        };
        (sparse.entries.len() * 2 <= values.len()).then_some(sparse)
    }

    /// The nonzero entries of the `n` rows in `values`; `None` as soon as more than half are
    /// nonzero.
    fn scan(values: &[f64], cols: usize, n: usize) -> Option<SparseRows> {
        let mut starts = Vec::with_capacity(n + 1);
        let mut entries = Vec::with_capacity(values.len() / 4);
        starts.push(0);
        for row in values.chunks_exact(cols.max(1)).take(n) {
            let mut chunks = row.chunks_exact(4);
            for (c, q) in chunks.by_ref().enumerate() {
                // Four pixels at once: all four are ±0.0 when no bit but the sign is set.
                let bits = q[0].to_bits() | q[1].to_bits() | q[2].to_bits() | q[3].to_bits();
                if bits << 1 != 0 {
                    for (k, &v) in q.iter().enumerate() {
                        if v != 0.0 {
                            entries.push((c * 4 + k, v));
                        }
                    }
                }
            }
            let done = row.len() - chunks.remainder().len();
            for (k, &v) in chunks.remainder().iter().enumerate() {
                if v != 0.0 {
                    entries.push((done + k, v));
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

    /// The rows `rows` of this matrix, in that order (a mini-batch drawn from a data set).
    pub(crate) fn gather(&self, rows: &[usize]) -> SparseRows {
        let mut starts = Vec::with_capacity(rows.len() + 1);
        let total = rows
            .iter()
            .map(|&r| self.starts[r + 1] - self.starts[r])
            .sum();
        let mut entries = Vec::with_capacity(total);
        starts.push(0);
        for &r in rows {
            entries.extend_from_slice(self.row(r));
            starts.push(entries.len());
        }
        SparseRows {
            starts,
            entries,
            cols: self.cols,
        }
    }

    fn rows(&self) -> usize {
        self.starts.len() - 1
    }

    fn row(&self, r: usize) -> &[(usize, f64)] {
        &self.entries[self.starts[r]..self.starts[r + 1]]
    }

    /// One row of `x · w`: `out = Σ x[r][i] · w[i]` over the row's nonzero entries, in order.
    #[inline(always)]
    fn row_dot(entries: &[(usize, f64)], ws: &[f64], m: usize, out: &mut [f64]) {
        let mut c = 0;
        while c + LANES <= m {
            let mut acc = [0.0f64; LANES];
            for &(i, v) in entries {
                let w: &[f64; LANES] = ws[i * m + c..i * m + c + LANES].try_into().expect("LANES");
                for k in 0..LANES {
                    acc[k] += v * w[k];
                }
            }
            out[c..c + LANES].copy_from_slice(&acc);
            c += LANES;
        }
        while c + 4 <= m {
            let mut acc = [0.0f64; 4];
            for &(i, v) in entries {
                let w: &[f64; 4] = ws[i * m + c..i * m + c + 4].try_into().expect("4");
                for k in 0..4 {
                    acc[k] += v * w[k];
                }
            }
            out[c..c + 4].copy_from_slice(&acc);
            c += 4;
        }
        for (k, o) in out.iter_mut().enumerate().take(m).skip(c) {
            *o = entries
                .iter()
                .fold(0.0, |acc, &(i, v)| acc + v * ws[i * m + k]);
        }
    }

    /// Rows `first..` of `x · w` into `out`.
    fn rows_dot(&self, first: usize, ws: &[f64], m: usize, out: &mut [f64]) {
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx") {
                // SAFETY: the processor supports AVX, checked just above.
                unsafe { self.rows_dot_avx(first, ws, m, out) };
                return;
            }
        }
        for (r, orow) in out.chunks_exact_mut(m).enumerate() {
            Self::row_dot(self.row(first + r), ws, m, orow);
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx")]
    unsafe fn rows_dot_avx(&self, first: usize, ws: &[f64], m: usize, out: &mut [f64]) {
        for (r, orow) in out.chunks_exact_mut(m).enumerate() {
            Self::row_dot(self.row(first + r), ws, m, orow);
        }
    }

    /// `x · w` for `w` of shape (cols, m).
    fn dot(&self, w: ArrayView2<f64>) -> Array2<f64> {
        let (n, m) = (self.rows(), w.ncols());
        let w = w.as_standard_layout();
        let ws = w.as_slice().expect("standard layout");
        let mut out = vec![0.0; n * m];
        if m > 0 {
            let parts = self.parts(m);
            self.par_rows_dot(0, n, ws, m, &mut out, parts);
        }
        Array2::from_shape_vec((n, m), out).expect("shape n x m")
    }

    /// How many pieces a product with `m` output columns is worth splitting into.
    fn parts(&self, m: usize) -> usize {
        if self.entries.len() * m < PARALLEL_WORK {
            1
        } else {
            rayon::current_num_threads()
        }
    }

    /// Rows `first..first + n` of `x · w` into `out`, split into `parts` pieces that run on
    /// rayon's threads. Each output row is computed by one thread, in the same order as on
    /// one thread, so the result does not depend on the number of threads.
    fn par_rows_dot(
        &self,
        first: usize,
        n: usize,
        ws: &[f64],
        m: usize,
        out: &mut [f64],
        parts: usize,
    ) {
        if parts <= 1 || n < 2 {
            self.rows_dot(first, ws, m, out);
        } else {
            let half = n / 2;
            let (a, b) = out.split_at_mut(half * m);
            rayon::join(
                || self.par_rows_dot(first, half, ws, m, a, parts / 2),
                || self.par_rows_dot(first + half, n - half, ws, m, b, parts - parts / 2),
            );
        }
    }

    /// `xᵀ · d` for `d` of shape (rows, m).
    fn dot_tn(&self, d: ArrayView2<f64>) -> Array2<f64> {
        let m = d.ncols();
        let d = d.as_standard_layout();
        let ds = d.as_slice().expect("standard layout");
        let mut out = vec![0.0; self.cols * m];
        if m > 0 {
            let parts = self.parts(m);
            self.par_cols_tn(0, self.cols, ds, m, &mut out, parts);
        }
        Array2::from_shape_vec((self.cols, m), out).expect("shape cols x m")
    }

    /// Output rows `lo..lo + len` of `xᵀ · d` (one per column of `x`) into `out`, split into
    /// `parts` pieces on rayon's threads; each output row is summed in the same order as on
    /// one thread.
    fn par_cols_tn(
        &self,
        lo: usize,
        len: usize,
        ds: &[f64],
        m: usize,
        out: &mut [f64],
        parts: usize,
    ) {
        if parts <= 1 || len < 2 {
            let hi = lo + len;
            for r in 0..self.rows() {
                let drow = &ds[r * m..(r + 1) * m];
                let row = self.row(r);
                // entries are in column order: start at the first column >= lo
                let start = row.partition_point(|&(i, _)| i < lo);
                for &(i, xi) in &row[start..] {
                    if i >= hi {
                        break;
                    }
                    axpy(&mut out[(i - lo) * m..(i - lo + 1) * m], xi, drow);
                }
            }
        } else {
            let half = len / 2;
            let (a, b) = out.split_at_mut(half * m);
            rayon::join(
                || self.par_cols_tn(lo, half, ds, m, a, parts / 2),
                || self.par_cols_tn(lo + half, len - half, ds, m, b, parts - parts / 2),
            );
        }
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

/// The input of a layer: a dense matrix, or the nonzero entries of a mostly-zero one.
#[derive(Clone, Copy)]
pub(crate) enum Input<'a> {
    Dense(ArrayView2<'a, f64>),
    Sparse(&'a SparseRows),
}

impl Input<'_> {
    pub(crate) fn shape(&self) -> [usize; 2] {
        match self {
            Input::Dense(x) => [x.nrows(), x.ncols()],
            Input::Sparse(s) => [s.rows(), s.cols],
        }
    }

    /// `x · w`.
    pub(crate) fn dot(&self, w: ArrayView2<f64>) -> Array2<f64> {
        match self {
            Input::Dense(x) => x.dot(&w),
            Input::Sparse(s) => s.dot(w),
        }
    }

    /// `xᵀ · d`.
    pub(crate) fn dot_tn(&self, d: ArrayView2<f64>) -> Array2<f64> {
        match self {
            Input::Dense(x) => x.t().dot(&d),
            Input::Sparse(s) => s.dot_tn(d),
        }
    }
}

/// Runs `f` on `x` as an [`Input`]: sparse when most entries are zero, else dense.
pub(crate) fn with_input<R>(x: ArrayView2<f64>, f: impl FnOnce(Input) -> R) -> R {
    match SparseRows::of(&x) {
        Some(sparse) => f(Input::Sparse(&sparse)),
        None => f(Input::Dense(x)),
    }
}

/// `x · w`, skipping zero entries of `x` when most of them are zero.
pub(crate) fn dot(x: ArrayView2<f64>, w: ArrayView2<f64>) -> Array2<f64> {
    with_input(x, |x| x.dot(w))
}

/// `xᵀ · d`, skipping zero entries of `x` when most of them are zero.
pub(crate) fn dot_tn(x: ArrayView2<f64>, d: ArrayView2<f64>) -> Array2<f64> {
    with_input(x, |x| x.dot_tn(d))
}

/// `x · w + b` (the book's `np.dot(x, W) + b`).
pub(crate) fn affine(x: ArrayView2<f64>, w: ArrayView2<f64>, b: ArrayView1<f64>) -> Array2<f64> {
    let mut a = dot(x, w);
    add_row(&mut a, b);
    a
}

/// Adds `b` to every row of `a` (the book's broadcasting `a + b`), row slice by row slice:
/// much faster than a broadcasting `a += &b`, which walks a stride-0 view element by element.
pub(crate) fn add_row(a: &mut Array2<f64>, b: ArrayView1<f64>) {
    assert_eq!(
        a.ncols(),
        b.len(),
        "add_row: a has shape {:?} but b has shape {:?}",
        a.shape(),
        b.shape()
    );
    let b = b.to_vec();
    for mut row in a.rows_mut() {
        match row.as_slice_mut() {
            Some(row) => row.iter_mut().zip(&b).for_each(|(a, b)| *a += b),
            None => row.iter_mut().zip(&b).for_each(|(a, b)| *a += b),
        }
    }
}

/// Softmax of each row, in place, with the overflow guard.
pub(crate) fn softmax_rows(a: &mut Array2<f64>) {
    for row in a.rows_mut() {
        crate::functions::softmax_in_place(row);
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
    fn split_sparse_products_equal_the_plain_sums() {
        // Large enough to be split across threads (more than PARALLEL_WORK multiply-adds).
        let (n, k, m) = (1200, 200, 50);
        let x = Array2::from_shape_fn((n, k), |(r, c)| {
            if (r * 7 + c * 3) % 5 == 0 {
                (r + c) as f64 * 0.01
            } else {
                0.0
            }
        });
        let w = Array2::from_shape_fn((k, m), |(r, c)| ((r * m + c) % 17) as f64 - 8.0);
        let d = Array2::from_shape_fn((n, m), |(r, c)| ((r + 2 * c) % 13) as f64 * 0.5);
        let sparse = SparseRows::of(&x.view()).expect("mostly zero");
        assert!(sparse.entries.len() * m >= PARALLEL_WORK);
        let xw = Array2::from_shape_fn((n, m), |(r, c)| {
            (0..k).map(|i| x[[r, i]] * w[[i, c]]).sum::<f64>()
        });
        let xtd = Array2::from_shape_fn((k, m), |(i, c)| {
            (0..n).map(|r| x[[r, i]] * d[[r, c]]).sum::<f64>()
        });
        assert_abs_diff_eq!(sparse.dot(w.view()), xw, epsilon = 1e-9);
        assert_abs_diff_eq!(sparse.dot_tn(d.view()), xtd, epsilon = 1e-9);
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
