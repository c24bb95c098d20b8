//! The hot loops behind the networks: matrix products that skip the zeros of MNIST images,
//! row-wise softmax, and splitting work across threads.
//!
//! About 80% of an MNIST pixel vector is exactly 0, so `x · W` and `xᵀ · dz` skip those
//! entries. Skipping a term `0 · w` leaves every sum as it was (for finite weights), so the
//! results are the book's; only the order of additions differs from a BLAS product.
//!
//! The zeros are looked for once, where data enters: [`Input::of`] at the public methods of
//! the networks, and the `Trainer` once for a whole data set. Hidden activations are dense
//! and go through ndarray's product directly.
#![deny(unsafe_op_in_unsafe_fn)]

use ndarray::{Array2, ArrayBase, ArrayView1, ArrayView2, Data, Ix2};
use rayon::prelude::*;

/// Rows of work below which splitting across threads costs more than it saves.
const PARALLEL_ROWS: usize = 1000;

/// Multiply-adds below which a sparse product stays on one thread. Handing work to another
/// thread and waiting for it costs more than a mini-batch's product (measured: a batch of
/// 100 MNIST images, 700,000 multiply-adds, is faster on one thread), so only products over
/// thousands of images, such as an accuracy over the training set, are split.
const PARALLEL_WORK: usize = 2_000_000;

/// The nonzero entries of a mostly-zero matrix, row by row (compressed sparse rows).
#[derive(Clone, Debug, Default)]
pub(crate) struct SparseRows {
    /// Row `r`'s entries are `entries[starts[r]..starts[r + 1]]`.
    starts: Vec<usize>,
    /// (column, value) pairs.
    entries: Vec<(usize, f64)>,
    cols: usize,
}

/// Rows of a mini-batch ahead of the one being copied whose entries
/// [`SparseRows::gather_into`] asks for early (measured on MNIST batches: 2 to 4 ahead took
/// about 10% off `Trainer::step`, 8 less).
const PREFETCH_AHEAD: usize = 4;

/// Asks the processor to bring `entries` into the cache, without waiting for them.
#[inline]
fn prefetch(entries: &[(usize, f64)]) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        let p = entries.as_ptr().cast::<i8>();
        for offset in (0..std::mem::size_of_val(entries)).step_by(64) {
            // SAFETY: a prefetch is only a hint to the cache: it never faults and changes
            // nothing the program can read; the address lies inside `entries`.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(p.wrapping_add(offset)) };
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = entries;
}

/// Output columns computed together in [`SparseView::row_dot`]: 16 `f64` are four AVX
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
            let parts: Vec<Option<SparseRows>> = (0..n.div_ceil(chunk_rows))
                .into_par_iter()
                .map(|k| {
                    let rows = chunk_rows.min(n - k * chunk_rows);
                    let start = k * chunk_rows * cols;
                    Self::scan(&values[start..start + rows * cols], cols, rows)
                })
                .collect();
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
        for r in 0..n {
            // a row of no columns is still a row: `chunks_exact` would find none
            let row = &values[r * cols..(r + 1) * cols];
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
        let mut out = SparseRows::default();
        self.gather_into(rows, &mut out);
        out
    }

    /// [`SparseRows::gather`] into `out`, in place of what it held (its buffers reused).
    pub(crate) fn gather_into(&self, rows: &[usize], out: &mut SparseRows) {
        let view = self.view();
        out.starts.clear();
        out.entries.clear();
        out.cols = self.cols;
        out.starts.push(0);
        for (k, &r) in rows.iter().enumerate() {
            // the rows lie anywhere in the data set, most of them in main memory: ask for
            // the next ones while this one is copied
            if let Some(&next) = rows.get(k + PREFETCH_AHEAD) {
                prefetch(view.row(next));
            }
            out.entries.extend_from_slice(view.row(r));
            out.starts.push(out.entries.len());
        }
    }

    /// `x · w` for `w` of shape (cols, m), row-major, as `ws`, made for a mini-batch: the
    /// same sums in the same order as [`SparseView::dot`] (bit for bit), on one thread, a
    /// tile of rows of `w` at a time where AVX is available.
    ///
    /// # Panics
    /// If `ws` does not hold `cols × m` values.
    pub(crate) fn batch_dot(&self, ws: &[f64], m: usize) -> Array2<f64> {
        assert_eq!(
            ws.len(),
            self.cols * m,
            "SparseRows::batch_dot: w is not {} x {m}",
            self.cols
        );
        let view = self.view();
        let n = view.rows();
        let mut out = vec![0.0; n * m];
        if m > 0 {
            #[cfg(target_arch = "x86_64")]
            {
                if std::arch::is_x86_feature_detected!("avx") {
                    // SAFETY: the processor supports AVX, checked just above; `out` holds
                    // zeros, a row of `m` per row.
                    unsafe { avx::tiled_rows_dot(&view, ws, m, &mut out) };
                    return Array2::from_shape_vec((n, m), out).expect("shape n x m");
                }
            }
            view.rows_dot(0, ws, m, &mut out);
        }
        Array2::from_shape_vec((n, m), out).expect("shape n x m")
    }

    /// A borrowed view of all rows.
    pub(crate) fn view(&self) -> SparseView<'_> {
        SparseView {
            starts: &self.starts,
            entries: &self.entries,
            cols: self.cols,
        }
    }
}

/// Some consecutive rows of a [`SparseRows`], borrowed: what the products work on.
#[derive(Clone, Copy)]
pub(crate) struct SparseView<'a> {
    /// Row `r`'s entries are `entries[starts[r]..starts[r + 1]]`.
    starts: &'a [usize],
    entries: &'a [(usize, f64)],
    cols: usize,
}

impl<'a> SparseView<'a> {
    fn rows(&self) -> usize {
        self.starts.len() - 1
    }

    fn row(&self, r: usize) -> &'a [(usize, f64)] {
        &self.entries[self.starts[r]..self.starts[r + 1]]
    }

    /// The entries of all rows, in row order.
    fn all_entries(&self) -> &'a [(usize, f64)] {
        &self.entries[self.starts[0]..self.starts[self.rows()]]
    }

    /// Rows `rows` of this view.
    pub(crate) fn slice(&self, rows: std::ops::Range<usize>) -> SparseView<'a> {
        SparseView {
            starts: &self.starts[rows.start..=rows.end],
            entries: self.entries,
            cols: self.cols,
        }
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

    /// Rows `first..` of `x · w` into `out`, which holds zeros.
    fn rows_dot(&self, first: usize, ws: &[f64], m: usize, out: &mut [f64]) {
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx") {
                // SAFETY: the processor supports AVX, checked just above.
                unsafe { avx::rows_dot(self, first, ws, m, out) };
                return;
            }
        }
        for (r, orow) in out.chunks_exact_mut(m).enumerate() {
            Self::row_dot(self.row(first + r), ws, m, orow);
        }
    }

    /// `x · w` for `w` of shape (cols, m).
    pub(crate) fn dot(&self, w: ArrayView2<f64>) -> Array2<f64> {
        let (n, m) = (self.rows(), w.ncols());
        let w = w.as_standard_layout();
        let ws = w.as_slice().expect("standard layout");
        let mut out = vec![0.0; n * m];
        if m > 0 && n > 0 {
            let parts = self.parts(m);
            self.par_rows_dot(0, n, ws, m, &mut out, parts);
        }
        Array2::from_shape_vec((n, m), out).expect("shape n x m")
    }

    /// How many pieces a product with `m` output columns is worth splitting into.
    fn parts(&self, m: usize) -> usize {
        if self.all_entries().len() * m < PARALLEL_WORK {
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

    /// `xᵀ · d` for `d` of shape (rows, m): the product of `xᵀ`'s nonzero entries with `d`.
    /// Each output row is summed over the rows of `x` in order, as `Σ_r x[r][i] · d[r]`.
    fn dot_tn(&self, d: ArrayView2<f64>) -> Array2<f64> {
        self.transpose().view().dot(d)
    }

    /// The nonzero entries of `xᵀ`, column by column of `x` (a counting sort). Within each
    /// column, the rows stay in increasing order.
    fn transpose(&self) -> SparseRows {
        let all = self.all_entries();
        let mut starts = vec![0usize; self.cols + 1];
        for &(i, _) in all {
            starts[i + 1] += 1;
        }
        for i in 0..self.cols {
            starts[i + 1] += starts[i];
        }
        let mut next = starts[..self.cols].to_vec();
        let mut entries = vec![(0, 0.0); all.len()];
        for r in 0..self.rows() {
            for &(i, v) in self.row(r) {
                entries[next[i]] = (r, v);
                next[i] += 1;
            }
        }
        SparseRows {
            starts,
            entries,
            cols: self.rows(),
        }
    }
}

/// The sparse product with AVX: the partial sums of an output row are held in registers, a
/// few 4-lane vectors at a time, while the row's nonzero entries stream by.
///
/// Multiplication and addition stay separate (no fused multiply-add) and every output
/// element is summed in the same order as in [`SparseView::row_dot`], so the results are
/// bit-for-bit those of the portable code. A mini-batch's product (`SparseRows::batch_dot`)
/// takes the rows of `w` a tile of 128 at a time, each output row's partial sums going
/// back to memory between tiles: on a batch copied out of the data set this was measured
/// a few percent faster per training step than a whole row at a time (on the rows read in
/// place in the data set, slower: the bookkeeping per tile cost more than the misses it saved).
///
/// The update of `w` by `xᵀ · d` on a batch's columns works the same way: a row of `xᵀ · d`
/// is summed in registers over the pixel's samples, in the order of [`Columns::t_dot_update`]'s
/// portable code, and added to `w` at once.
mod columns;
pub(crate) use columns::{padded, Columns};

#[cfg(target_arch = "x86_64")]
mod avx;

/// The input of a network: a dense matrix, or the nonzero entries of a mostly-zero one
/// (found by [`Input::of`], or borrowed from entries found once for a whole data set).
pub(crate) enum Input<'a> {
    Dense(ArrayView2<'a, f64>),
    Sparse(SparseView<'a>),
    Found(SparseRows),
}

impl<'a> Input<'a> {
    /// `x`, with its nonzero entries when most entries are zero (MNIST rows are).
    pub(crate) fn of<S: Data<Elem = f64>>(x: &'a ArrayBase<S, Ix2>) -> Self {
        let x = x.view();
        match SparseRows::of(&x) {
            Some(sparse) => Input::Found(sparse),
            None => Input::Dense(x),
        }
    }

    fn sparse(&self) -> Option<SparseView<'_>> {
        match self {
            Input::Dense(_) => None,
            Input::Sparse(s) => Some(*s),
            Input::Found(s) => Some(s.view()),
        }
    }

    pub(crate) fn shape(&self) -> [usize; 2] {
        match (self, self.sparse()) {
            (Input::Dense(x), _) => [x.nrows(), x.ncols()],
            (_, Some(s)) => [s.rows(), s.cols],
            _ => unreachable!("a sparse input has a view"),
        }
    }

    pub(crate) fn nrows(&self) -> usize {
        self.shape()[0]
    }

    /// Rows `rows` of the input.
    pub(crate) fn slice(&self, rows: std::ops::Range<usize>) -> Input<'_> {
        match (self, self.sparse()) {
            (Input::Dense(x), _) => Input::Dense(x.slice(ndarray::s![rows, ..])),
            (_, Some(s)) => Input::Sparse(s.slice(rows)),
            _ => unreachable!("a sparse input has a view"),
        }
    }

    /// `x · w`.
    pub(crate) fn dot(&self, w: &Array2<f64>) -> Array2<f64> {
        match (self, self.sparse()) {
            (Input::Dense(x), _) => x.dot(w),
            (_, Some(s)) => s.dot(w.view()),
            _ => unreachable!("a sparse input has a view"),
        }
    }

    /// `xᵀ · d`.
    pub(crate) fn t_dot(&self, d: &Array2<f64>) -> Array2<f64> {
        match (self, self.sparse()) {
            (Input::Dense(x), _) => x.t().dot(d),
            (_, Some(s)) => s.dot_tn(d.view()),
            _ => unreachable!("a sparse input has a view"),
        }
    }
}

/// A data set's inputs, owned: its nonzero entries when most are zero, else the matrix.
#[derive(Clone, Debug)]
pub(crate) enum Rows {
    Dense(Array2<f64>),
    Sparse(SparseRows),
}

impl Rows {
    /// `x`'s nonzero entries when most entries are zero, else a copy of `x`.
    pub(crate) fn of(x: ArrayView2<f64>) -> Rows {
        match SparseRows::of(&x) {
            Some(sparse) => Rows::Sparse(sparse),
            None => Rows::Dense(x.to_owned()),
        }
    }

    /// All rows, as an [`Input`].
    pub(crate) fn input(&self) -> Input<'_> {
        match self {
            Rows::Dense(x) => Input::Dense(x.view()),
            Rows::Sparse(s) => Input::Sparse(s.view()),
        }
    }

    /// The rows `rows`, in that order (a mini-batch).
    pub(crate) fn gather(&self, rows: &[usize]) -> Rows {
        match self {
            Rows::Dense(x) => Rows::Dense(x.select(ndarray::Axis(0), rows)),
            Rows::Sparse(s) => Rows::Sparse(s.gather(rows)),
        }
    }

    /// The rows as a dense matrix (the zeros written out again).
    pub(crate) fn to_dense(&self) -> Array2<f64> {
        match self {
            Rows::Dense(x) => x.clone(),
            Rows::Sparse(s) => {
                let view = s.view();
                let mut x = Array2::zeros((view.rows(), s.cols));
                for (r, mut row) in x.rows_mut().into_iter().enumerate() {
                    for &(i, v) in view.row(r) {
                        row[i] = v;
                    }
                }
                x
            }
        }
    }
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
        assert_abs_diff_eq!(Input::of(&x).dot(&w), array![[6.0, 8.0], [-10.5, -12.0]]);
        let d = array![[1.0, -1.0], [2.0, 0.5]];
        let expected = array![[0.0, 0.0], [2.0, -2.0], [0.0, 0.0], [-3.0, -0.75]];
        assert_abs_diff_eq!(Input::of(&x).t_dot(&d), expected);
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
        assert_abs_diff_eq!(sparse.view().dot(w.view()), xw, epsilon = 1e-9);
        assert_abs_diff_eq!(sparse.view().dot_tn(d.view()), xtd, epsilon = 1e-9);
        // a slice of the rows is those rows of the product
        let part = sparse.view().slice(300..700);
        assert_eq!(part.dot(w.view()), xw.slice(ndarray::s![300..700, ..]));
        let xtd_part = Array2::from_shape_fn((k, m), |(i, c)| {
            (300..700).map(|r| x[[r, i]] * d[[r, c]]).sum::<f64>()
        });
        assert_abs_diff_eq!(
            part.dot_tn(d.slice(ndarray::s![300..700, ..])),
            xtd_part,
            epsilon = 1e-9
        );
    }

    /// `Σ x[r][i] · w[i][c]` over the nonzero `x[r][i]` in increasing `i`, one plain
    /// multiplication and addition at a time: the order the kernels promise.
    fn ordered_sum(x: &Array2<f64>, w: &Array2<f64>, r: usize, c: usize) -> f64 {
        (0..x.ncols())
            .filter(|&i| x[[r, i]] != 0.0)
            .fold(0.0, |acc, i| acc + x[[r, i]] * w[[i, c]])
    }

    #[test]
    fn sparse_products_are_the_ordered_sums_bit_for_bit_for_every_width() {
        // Every output width from 1 to 70 (partial, full and several register blocks), with
        // values whose sums round differently in another order.
        let (n, k) = (7, 40);
        let x = Array2::from_shape_fn((n, k), |(r, i)| {
            if (r * 13 + i * 7) % 3 == 0 {
                1.0 / (1.0 + (r * k + i) as f64)
            } else {
                0.0
            }
        });
        let sparse = SparseRows::of(&x.view()).expect("mostly zero");
        for m in 1..=70 {
            let w =
                Array2::from_shape_fn((k, m), |(i, c)| ((i * 31 + c * 17) % 23) as f64 / 7.0 - 1.5);
            let xw = sparse.view().dot(w.view());
            let d =
                Array2::from_shape_fn((n, m), |(r, c)| ((r * 5 + c * 3) % 11) as f64 / 3.0 - 1.7);
            let xtd = sparse.view().dot_tn(d.view());
            let xt = x.t().to_owned();
            // the portable code, which processors without AVX run
            let ws = w.as_slice().expect("standard layout");
            let mut portable = vec![0.0; m];
            for r in 0..n {
                SparseView::row_dot(sparse.view().row(r), ws, m, &mut portable);
                for (c, p) in portable.iter().enumerate() {
                    assert_eq!(
                        p.to_bits(),
                        xw[[r, c]].to_bits(),
                        "portable x·w[{r}][{c}], m = {m}"
                    );
                }
            }
            for c in 0..m {
                for r in 0..n {
                    assert_eq!(
                        xw[[r, c]].to_bits(),
                        ordered_sum(&x, &w, r, c).to_bits(),
                        "x·w[{r}][{c}], m = {m}"
                    );
                }
                for i in 0..k {
                    assert_eq!(
                        xtd[[i, c]].to_bits(),
                        ordered_sum(&xt, &d, i, c).to_bits(),
                        "xᵀ·d[{i}][{c}], m = {m}"
                    );
                }
            }
        }
    }

    #[test]
    fn batch_products_are_the_ordered_sums_bit_for_bit_for_every_width() {
        // Rows of 300 columns, so that the product runs over several tiles of rows of `w`
        // (rows with entries in every tile, in some tiles only, and none), every output
        // width from 1 to 70, values whose sums round differently in another order.
        let (n, k) = (9, 300);
        let mut x = Array2::from_shape_fn((n, k), |(r, i)| {
            if (r * 13 + i * 7) % 4 == 0 {
                1.0 / (1.0 + (r * k + i) as f64)
            } else {
                0.0
            }
        });
        x.row_mut(3).fill(0.0); // no entries at all
        x.row_mut(5).fill(0.0);
        x[[5, 299]] = -0.5; // one entry, in the last tile
        x[[6, 0]] = -0.0; // a signed zero is a zero
        let sparse = SparseRows::of(&x.view()).expect("mostly zero");
        for m in 1..=70 {
            let w = Array2::from_shape_fn((k, m), |(i, c)| {
                [((i * 31 + c * 17) % 23) as f64 / 7.0 - 1.5, -0.0][(i + c) % 5 / 4]
            });
            let ws = w.as_slice().expect("standard layout");
            let xw = sparse.batch_dot(ws, m);
            assert_eq!(xw.dim(), (n, m));
            let mut portable = vec![0.0; m];
            for r in 0..n {
                SparseView::row_dot(sparse.view().row(r), ws, m, &mut portable);
                for c in 0..m {
                    let got = xw[[r, c]].to_bits();
                    assert_eq!(got, portable[c].to_bits(), "portable [{r}][{c}], m = {m}");
                    let ordered = ordered_sum(&x, &w, r, c).to_bits();
                    assert_eq!(got, ordered, "x·w[{r}][{c}], m = {m}");
                }
            }
        }
    }

    #[test]
    fn zero_width_inputs_keep_their_rows() {
        // 3 samples of no features: x · w has 3 rows of zeros, xᵀ · d is empty
        let x = Array2::<f64>::zeros((3, 0));
        let w = Array2::<f64>::zeros((0, 2));
        let input = Input::of(&x);
        assert_eq!(input.shape(), [3, 0]);
        assert_eq!(input.dot(&w), Array2::<f64>::zeros((3, 2)));
        assert_eq!(input.t_dot(&Array2::ones((3, 2))).shape(), &[0, 2]);
        // the threaded scan of many rows keeps them too
        let x = Array2::<f64>::zeros((2 * PARALLEL_ROWS + 1, 0));
        assert_eq!(Input::of(&x).dot(&w).shape(), &[2 * PARALLEL_ROWS + 1, 2]);
    }

    #[test]
    fn gathered_rows_written_out_are_the_rows() {
        let x = array![
            [0.0, 2.0, 0.0, 0.0],
            [0.0, 0.0, 0.0, -1.5],
            [1.0, 0.0, 0.0, 0.0]
        ];
        let rows = Rows::of(x.view());
        assert!(matches!(rows, Rows::Sparse(_)));
        let batch = rows.gather(&[2, 0, 2]);
        assert_eq!(
            batch.to_dense(),
            array![
                [1.0, 0.0, 0.0, 0.0],
                [0.0, 2.0, 0.0, 0.0],
                [1.0, 0.0, 0.0, 0.0]
            ]
        );
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
        assert_abs_diff_eq!(Input::of(&x).dot(&w), expected, epsilon = 1e-9);
    }
}
