//! The hot loops behind the networks: matrix products that skip the zeros of MNIST images,
//! row-wise softmax, and splitting work across threads.
//!
//! About 80% of an MNIST pixel vector is exactly 0, so `x · W` and `xᵀ · dz` skip those
//! entries. Skipping a term `0 · w` leaves every sum as it was (for finite weights), so the
//! results are the book's; only the order of additions differs from a BLAS product.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis};

/// Rows of work below which splitting across threads costs more than it saves.
const PARALLEL_ROWS: usize = 1000;

/// Whether more than half of the entries are exactly zero.
fn mostly_zero(x: &ArrayView2<f64>) -> bool {
    x.iter().filter(|&&v| v == 0.0).count() * 2 > x.len()
}

/// The number of threads worth using on this machine.
pub(crate) fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// `x · w`, skipping zero entries of `x` when most of them are zero.
pub(crate) fn dot(x: ArrayView2<f64>, w: ArrayView2<f64>) -> Array2<f64> {
    if !mostly_zero(&x) {
        return x.dot(&w);
    }
    let (n, m) = (x.nrows(), w.ncols());
    let w = w.as_standard_layout();
    let ws = w.as_slice().expect("standard layout");
    let mut out = vec![0.0; n * m];
    let rows = |first_row: usize, out: &mut [f64]| {
        for (r, orow) in out.chunks_mut(m).enumerate() {
            for (i, &xi) in x.row(first_row + r).iter().enumerate() {
                if xi != 0.0 {
                    for (o, &wv) in orow.iter_mut().zip(&ws[i * m..(i + 1) * m]) {
                        *o += xi * wv;
                    }
                }
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

/// `xᵀ · d`, skipping zero entries of `x` when most of them are zero.
pub(crate) fn dot_tn(x: ArrayView2<f64>, d: ArrayView2<f64>) -> Array2<f64> {
    if !mostly_zero(&x) {
        return x.t().dot(&d);
    }
    let (k, m) = (x.ncols(), d.ncols());
    let mut out = Array2::<f64>::zeros((k, m));
    let os = out.as_slice_mut().expect("fresh array is standard layout");
    for (xrow, drow) in x.rows().into_iter().zip(d.rows()) {
        for (i, &xi) in xrow.iter().enumerate() {
            if xi != 0.0 {
                for (o, &dv) in os[i * m..(i + 1) * m].iter_mut().zip(drow.iter()) {
                    *o += xi * dv;
                }
            }
        }
    }
    out
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
        assert!(mostly_zero(&x.view()));
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
