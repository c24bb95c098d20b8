//! A mini-batch's nonzero entries column by column, and the update of `W` by `xᵀ · d` on
//! them: the backward pass of `Trainer::step` for the first layer, without storing the
//! gradient of `W`.

use super::SparseRows;

/// `m` rounded up to whole 4-lane vectors: the length of the rows of `d` in
/// [`Columns::t_dot_update`].
pub(crate) fn padded(m: usize) -> usize {
    m.div_ceil(4) * 4
}

/// A mini-batch's nonzero entries column by column (`xᵀ`'s rows): for each input column
/// (pixel) `i`, the (sample, value) pairs of the samples whose entry `i` is not zero, in
/// increasing sample order. [`Columns::gather`] builds it once per mini-batch, into buffers
/// kept from one batch to the next, for the update of `W` by `xᵀ · d`
/// ([`Columns::t_dot_update`]).
///
/// Each element of `xᵀ · d` is summed over the same entries in the same order as by
/// [`SparseView::dot_tn`](super::SparseView::dot_tn) (in increasing sample order), so the
/// results are bit-for-bit those of the row-wise product. (`x · W` on the columns, each pixel's row of `W` held in
/// registers while the samples' output rows are updated in the L1 cache, was measured
/// slower on MNIST batches than the row-wise product: 30 samples per pixel on average are
/// too few to pay for the load and store of an output row per entry.)
#[derive(Clone, Debug, Default)]
pub(crate) struct Columns {
    /// Column `i`'s entries are `entries[starts[i]..starts[i + 1]]`.
    starts: Vec<usize>,
    /// (sample, value) pairs.
    entries: Vec<(usize, f64)>,
    /// The columns with at least one entry, in increasing order.
    touched: Vec<usize>,
    /// The next free place of each column while gathering.
    next: Vec<usize>,
    /// Samples in the batch.
    rows: usize,
}

impl Columns {
    /// The rows of `batch` (a mini-batch, gathered from its data set), column by column, in
    /// place of the batch gathered before.
    pub(crate) fn gather(&mut self, batch: &SparseRows) {
        let (view, cols) = (batch.view(), batch.cols);
        let n = view.rows();
        self.starts.clear();
        self.starts.resize(cols + 1, 0);
        for &(i, _) in view.all_entries() {
            self.starts[i + 1] += 1;
        }
        self.touched.clear();
        for i in 0..cols {
            if self.starts[i + 1] > 0 {
                self.touched.push(i);
            }
            self.starts[i + 1] += self.starts[i];
        }
        // every place is written below: what the buffer held before is never read
        self.entries.resize(self.starts[cols], (0, 0.0));
        self.next.clear();
        self.next.extend_from_slice(&self.starts[..cols]);
        for s in 0..n {
            for &(i, v) in view.row(s) {
                self.entries[self.next[i]] = (s, v);
                self.next[i] += 1;
            }
        }
        self.rows = n;
    }

    /// Samples in the batch.
    pub(crate) fn rows(&self) -> usize {
        self.rows
    }

    /// Input columns (pixels per sample).
    pub(crate) fn cols(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// Column `i`'s (sample, value) pairs, in increasing sample order.
    pub(super) fn column(&self, i: usize) -> &[(usize, f64)] {
        &self.entries[self.starts[i]..self.starts[i + 1]]
    }

    /// The columns with at least one nonzero entry in the batch, in increasing order.
    pub(crate) fn touched(&self) -> &[usize] {
        &self.touched
    }

    /// `w += alpha · (xᵀ · d)` for `w` of shape (cols, m), row-major, and `d` of `rows`
    /// rows of [`padded`]`(m)` values (those past `m` are not used): each element of
    /// `xᵀ · d` is `Σ x[s][i] · d[s][c]` over the nonzero `x[s][i]` in increasing `s`,
    /// starting from 0.0, and then `w[i][c] + alpha · g`, as ndarray's `scaled_add` does
    /// with the whole product. The product is never stored.
    ///
    /// For a column of `x` without entries, that row of `xᵀ · d` is +0.0, and for a finite,
    /// negative `alpha` (a step of gradient descent, `-learning_rate`) `alpha · (+0.0)` is
    /// -0.0, and `w + (-0.0)` is `w` bit for bit, +0.0 and -0.0 included: such rows are left
    /// alone. For any other `alpha` they are updated as the others.
    ///
    /// # Panics
    /// If `d` does not hold `rows × padded(m)` values or `ws` does not hold `cols × m`.
    pub(crate) fn t_dot_update(&self, d: &[f64], m: usize, alpha: f64, ws: &mut [f64]) {
        self.check_shapes("t_dot_update", ws.len(), m, d.len());
        if m == 0 {
            return;
        }
        if !(alpha < 0.0 && alpha.is_finite()) {
            self.update_untouched(m, alpha, ws);
        }
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx") {
                // SAFETY: the processor supports AVX, checked just above.
                unsafe { super::avx::columns_t_dot_update(self, d, m, alpha, ws) };
                return;
            }
        }
        self.t_dot_update_portable(d, m, alpha, ws);
    }

    /// [`Columns::t_dot_update`] without SIMD: what processors without AVX run.
    fn t_dot_update_portable(&self, d: &[f64], m: usize, alpha: f64, ws: &mut [f64]) {
        let stride = padded(m);
        let mut acc = vec![0.0; m];
        for &i in &self.touched {
            acc.fill(0.0);
            for &(s, v) in self.column(i) {
                for (a, &d) in acc.iter_mut().zip(&d[s * stride..s * stride + m]) {
                    *a += v * d;
                }
            }
            for (w, &a) in ws[i * m..(i + 1) * m].iter_mut().zip(&acc) {
                *w += alpha * a;
            }
        }
    }

    /// `w += alpha · (+0.0)` on the rows of `w` whose column of `x` has no entries.
    fn update_untouched(&self, m: usize, alpha: f64, ws: &mut [f64]) {
        for (i, row) in ws.chunks_exact_mut(m).enumerate() {
            if self.starts[i] == self.starts[i + 1] {
                row.iter_mut().for_each(|w| *w += alpha * 0.0);
            }
        }
    }

    fn check_shapes(&self, function: &str, ws: usize, m: usize, per_sample: usize) {
        assert!(
            ws == self.cols() * m && per_sample == self.rows * padded(m),
            "Columns::{function}: {ws} weights and {per_sample} sample values for {} columns, \
             {} samples and {m} outputs (rows of {})",
            self.cols(),
            self.rows,
            padded(m)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, Array2};

    /// A batch with every case the column kernels meet: an all-zero sample, a pixel that is
    /// nonzero in one sample only, pixels zero in every sample, negative values, and values
    /// whose sums round differently in another order. Rows of the data set may repeat.
    fn awkward_rows() -> Array2<f64> {
        let (n, k) = (9, 37);
        let mut x = Array2::from_shape_fn((n, k), |(r, i)| {
            if (r * 13 + i * 7) % 3 == 0 && i % 5 != 4 {
                let v = 1.0 / (1.0 + (r * k + i) as f64);
                if (r + i) % 4 == 0 {
                    -v
                } else {
                    v
                }
            } else {
                0.0
            }
        });
        x.row_mut(4).fill(0.0); // an all-zero sample
        x.column_mut(9).fill(0.0);
        x[[6, 9]] = -0.75; // pixel 9: one sample only
        x[[2, 1]] = -0.0; // a signed zero is a zero
        x
    }

    /// Bits of every element, for exact comparisons that tell -0.0 from +0.0 and NaNs apart.
    fn bits(a: &Array2<f64>) -> Vec<u64> {
        a.iter().map(|v| v.to_bits()).collect()
    }

    /// Rows of `m` values of `a`, padded to [`padded`]`(m)` with `fill`.
    fn padded_rows(a: &Array2<f64>, fill: f64) -> Vec<f64> {
        let m = a.ncols();
        let mut out = vec![fill; a.nrows() * padded(m)];
        for (r, row) in a.rows().into_iter().enumerate() {
            for (c, &v) in row.iter().enumerate() {
                out[r * padded(m) + c] = v;
            }
        }
        out
    }

    #[test]
    fn column_updates_are_the_row_products_bit_for_bit_for_every_width() {
        let x = awkward_rows();
        let (k, sparse) = (x.ncols(), SparseRows::of(&x.view()).expect("mostly zero"));
        for batch in [
            vec![0, 1, 2, 3, 4, 5, 6, 7, 8],
            vec![6],
            vec![4],
            vec![8, 2, 2, 6, 0, 4],
        ] {
            let mut columns = Columns::default();
            let rows = sparse.gather(&batch);
            columns.gather(&rows);
            let xb = x.select(ndarray::Axis(0), &batch);
            let n = batch.len();
            assert_eq!((columns.rows(), columns.cols()), (n, k));
            let touched: Vec<usize> = (0..k)
                .filter(|&i| xb.column(i).iter().any(|&v| v != 0.0))
                .collect();
            assert_eq!(columns.touched(), &touched[..], "batch {batch:?}");
            for m in 1..=70 {
                let w = Array2::from_shape_fn((k, m), |(i, c)| {
                    ((i * 31 + c * 17) % 23) as f64 / 7.0 - 1.5
                });
                // w + alpha · xᵀ·d: against ndarray's scaled_add of the row-wise xᵀ·d, with
                // signed zeros among the weights of touched and untouched pixels alike
                let d = Array2::from_shape_fn((n, m), |(r, c)| {
                    [((r * 5 + c * 3) % 11) as f64 / 3.0 - 1.7, -0.0, 0.0][(r + c) % 3]
                });
                let mut w0 = w.clone();
                for (j, v) in w0.iter_mut().enumerate() {
                    match j % 5 {
                        0 => *v = -0.0,
                        1 => *v = 0.0,
                        _ => {}
                    }
                }
                let dp = padded_rows(&d, f64::NAN);
                for alpha in [-0.1, -1.0, 0.25, 0.0, -0.0, f64::NEG_INFINITY] {
                    let mut expected = w0.clone();
                    expected.scaled_add(alpha, &rows.view().dot_tn(d.view()));
                    let mut got = w0.clone();
                    columns.t_dot_update(&dp, m, alpha, got.as_slice_mut().expect("standard"));
                    assert_eq!(
                        bits(&got),
                        bits(&expected),
                        "w + {alpha}·xᵀ·d, m = {m}, batch {batch:?}"
                    );
                    let mut portable = w0.clone();
                    let ps = portable.as_slice_mut().expect("standard layout");
                    if !(alpha < 0.0 && alpha.is_finite()) {
                        columns.update_untouched(m, alpha, ps);
                    }
                    columns.t_dot_update_portable(&dp, m, alpha, ps);
                    assert_eq!(bits(&portable), bits(&expected), "portable, alpha {alpha}");
                }
            }
        }
    }

    #[test]
    fn untouched_rows_keep_their_bits_only_for_a_negative_step() {
        // pixel 1 is zero in the whole batch: its weights +0.0 and -0.0 stay as they are for
        // w - lr·0 (lr > 0), as ndarray's update leaves them; for alpha > 0, -0.0 + 0.0 is
        // +0.0, and the kernel must give that too
        let x = array![[0.0, 0.0, 2.0, 0.0], [0.5, 0.0, 0.0, 0.0]];
        let sparse = SparseRows::of(&x.view()).expect("mostly zero");
        let mut columns = Columns::default();
        columns.gather(&sparse.gather(&[0, 1]));
        assert_eq!(columns.touched(), &[0, 2]);
        let w = array![[1.0], [-0.0], [3.0], [0.0]];
        let d = padded_rows(&array![[1.0], [2.0]], 0.0);
        let update = |alpha: f64| {
            let mut w = w.clone();
            columns.t_dot_update(&d, 1, alpha, w.as_slice_mut().expect("standard"));
            w
        };
        let down = update(-0.5);
        assert_eq!(bits(&down), bits(&array![[0.5], [-0.0], [2.0], [0.0]]));
        let up = update(0.5);
        assert_eq!(bits(&up), bits(&array![[1.5], [0.0], [4.0], [0.0]]));
    }
}
