//! The sparse product with AVX: the partial sums of an output row are held in registers, a
//! few 4-lane vectors at a time, while the row's nonzero entries stream by.
//!
//! Multiplication and addition stay separate (no fused multiply-add) and every output
//! element is summed in the same order as in [`SparseView::row_dot`], so the results are
//! bit-for-bit those of the portable code. A mini-batch's product (`SparseRows::batch_dot`)
//! takes the rows of `w` a tile of 128 at a time, each output row's partial sums going
//! back to memory between tiles: on a batch copied out of the data set this was measured
//! a few percent faster per training step than a whole row at a time (on the rows read in
//! place in the data set, slower: the bookkeeping per tile cost more than the misses it saved).
//!
//! The update of `w` by `xᵀ · d` on a batch's columns works the same way: a row of `xᵀ · d`
//! is summed in registers over the pixel's samples, in the order of [`Columns::t_dot_update`]'s
//! portable code, and added to `w` at once.
#![deny(unsafe_op_in_unsafe_fn)]

use super::{padded, Columns, SparseView};
use std::arch::x86_64::*;

/// Most 4-lane partial sums kept in registers in one pass over a row's entries: 13 of the
/// 16 AVX registers (a row of 50 outputs in one pass, so each entry's weights are fetched
/// and its value broadcast once), with the broadcast entry and the loaded weights in the
/// other three. (Passes of at most 8 vectors, 7 and 6 for 50 outputs, were measured 3-6%
/// slower on MNIST batches.)
const MAX_VECTORS: usize = 13;

/// Most 4-lane vectors kept in registers by the column kernel in one pass over a column's
/// entries: 13 of the 16 AVX registers (a row of 50 sums in one pass), with one left for
/// the broadcast entry and two for the values loaded and multiplied.
const MAX_COLUMN_VECTORS: usize = 13;

/// The passes over `m` output columns: (first column, width, vectors) of each, at most
/// `max` vectors a pass, as even as possible (50 columns, 13 at most: one pass of 13).
fn passes(m: usize, max: usize) -> impl Iterator<Item = (usize, usize, usize)> {
    let vectors = m.div_ceil(4);
    let passes = vectors.div_ceil(max);
    (0..passes).scan(0, move |c, p| {
        let v = vectors / passes + usize::from(p < vectors % passes);
        let width = (4 * v).min(m - *c);
        let pass = (*c, width, v);
        *c += width;
        Some(pass)
    })
}

/// Calls `$f::<V>($args)` for `V` = `$v` vectors (1 to [`MAX_COLUMN_VECTORS`]).
macro_rules! with_vectors {
    ($v:expr, $f:ident($($arg:expr),*)) => {
        match $v {
            1 => $f::<1>($($arg),*),
            2 => $f::<2>($($arg),*),
            3 => $f::<3>($($arg),*),
            4 => $f::<4>($($arg),*),
            5 => $f::<5>($($arg),*),
            6 => $f::<6>($($arg),*),
            7 => $f::<7>($($arg),*),
            8 => $f::<8>($($arg),*),
            9 => $f::<9>($($arg),*),
            10 => $f::<10>($($arg),*),
            11 => $f::<11>($($arg),*),
            12 => $f::<12>($($arg),*),
            _ => $f::<MAX_COLUMN_VECTORS>($($arg),*),
        }
    };
}

/// The masks of a block of `width` columns in `V` vectors: all lanes on for the first
/// `V - 1`, the lanes below `width - 4(V-1)` for the last.
///
/// # Safety
/// The processor must support AVX.
#[target_feature(enable = "avx")]
#[inline]
unsafe fn masks<const V: usize>(width: usize) -> (__m256i, __m256i) {
    assert!(
        width > 4 * (V - 1) && width <= 4 * V,
        "block of {width} columns for {V} vectors"
    );
    let tail = width - 4 * (V - 1);
    let lane = |k: usize| if k < tail { -1 } else { 0 };
    (
        _mm256_set1_epi64x(-1),
        _mm256_setr_epi64x(lane(0), lane(1), lane(2), lane(3)),
    )
}

/// Rows `first..` of `x · w` added to `out` (as many rows as `out` holds; `out` holds
/// zeros, so each element is the plain sum from 0.0).
///
/// # Safety
/// The processor must support AVX.
#[target_feature(enable = "avx")]
pub(super) unsafe fn rows_dot(x: &SparseView, first: usize, ws: &[f64], m: usize, out: &mut [f64]) {
    for (r, orow) in out.chunks_exact_mut(m).enumerate() {
        // SAFETY: AVX is available (this function's contract).
        unsafe { row_dot(x.row(first + r), ws, m, orow) };
    }
}

/// `orow += Σ v · w[i]` over `entries`, in order: the row's columns in passes of at most
/// [`MAX_VECTORS`] vectors.
///
/// # Safety
/// The processor must support AVX.
#[target_feature(enable = "avx")]
#[inline]
unsafe fn row_dot(entries: &[(usize, f64)], ws: &[f64], m: usize, orow: &mut [f64]) {
    for (c, width, v) in passes(m, MAX_VECTORS) {
        // SAFETY: AVX is available (this function's contract), and the block holds `width`
        // columns with 4(v-1) < width <= 4v, as `block_dot` requires (checked there too).
        unsafe { with_vectors!(v, block_dot(entries, ws, m, c, &mut orow[c..c + width])) }
    }
}

/// Rows of `w` (pixels) per tile of [`tiled_rows_dot`]: 128 rows of 50 weights are 50 KiB,
/// about the L1 cache (48 KiB), which keeps most of them while every sample's entries in
/// the tile go by. (Measured on MNIST batches, best of 150 runs of 100 steps each: tiles of
/// 128 took about 5% off the step against no tiles; 64 gained less, 32 lost.)
const TILE: usize = 128;

/// All rows of `x · w` added to `out` (zeros, a row of `m` per row of `x`), a tile of
/// [`TILE`] rows of `w` at a time: each output row's partial sums go from `out` into
/// registers, take the row's entries in the tile, in order, and go back, so every element
/// is summed over the same entries in the same order as by [`SparseView::row_dot`], while
/// the tile of `w` stays in the L1 cache instead of each entry's row of `w` coming from the
/// L2 cache.
///
/// # Safety
/// The processor must support AVX.
#[target_feature(enable = "avx")]
pub(super) unsafe fn tiled_rows_dot(x: &SparseView, ws: &[f64], m: usize, out: &mut [f64]) {
    let mut rest: Vec<&[(usize, f64)]> = (0..x.rows()).map(|r| x.row(r)).collect();
    let mut lo = 0;
    while lo < x.cols {
        let hi = lo.saturating_add(TILE);
        for (rest, orow) in rest.iter_mut().zip(out.chunks_exact_mut(m)) {
            let k = rest
                .iter()
                .position(|&(i, _)| i >= hi)
                .unwrap_or(rest.len());
            if k == 0 {
                continue;
            }
            let (entries, later) = rest.split_at(k);
            *rest = later;
            // SAFETY: AVX is available (this function's contract).
            unsafe { row_dot(entries, ws, m, orow) };
        }
        lo = hi;
    }
}

/// `out += Σ v · w[i][c..c + out.len()]` over `entries`, in order, with `V` vectors of
/// partial sums; the last vector is masked to the columns that exist
/// (`4(V-1) < out.len() <= 4V`).
///
/// # Safety
/// The processor must support AVX.
#[target_feature(enable = "avx")]
#[inline]
unsafe fn block_dot<const V: usize>(
    entries: &[(usize, f64)],
    ws: &[f64],
    m: usize,
    c: usize,
    out: &mut [f64],
) {
    let width = out.len();
    // Every load and store is a masked one, full vectors with all lanes on: the compiler
    // turns those into plain loads and stores, while `_mm256_loadu_pd` would carry a
    // pointer check per load in builds with debug assertions (a notebook's).
    // SAFETY: AVX is available (this function's contract).
    let (all, mask) = unsafe { masks::<V>(width) };
    let o = out.as_mut_ptr();
    let mut acc = [_mm256_setzero_pd(); V];
    for (k, acc) in acc.iter_mut().enumerate() {
        let mask = if k < V - 1 { all } else { mask };
        // SAFETY: the lanes the mask leaves on lie inside `out`: lanes 4k..4k+4 for
        // k < V-1 (4(V-1) < width), those below `width` for the last.
        *acc = unsafe { _mm256_maskload_pd(o.wrapping_add(4 * k), mask) };
    }
    for &(i, v) in entries {
        // one bounds check per entry; every load below stays inside this slice
        let w = &ws[i * m + c..i * m + c + width];
        let p = w.as_ptr();
        let v = _mm256_set1_pd(v);
        for (k, acc) in acc.iter_mut().enumerate().take(V - 1) {
            // SAFETY: lanes 4k..4k+4 lie inside `w` (k < V-1, and 4(V-1) < width).
            let w = unsafe { _mm256_maskload_pd(p.wrapping_add(4 * k), all) };
            *acc = _mm256_add_pd(*acc, _mm256_mul_pd(v, w));
        }
        // SAFETY: the mask turns off the lanes at or past `width`, so only elements of `w`
        // are read.
        let w = unsafe { _mm256_maskload_pd(p.wrapping_add(4 * (V - 1)), mask) };
        acc[V - 1] = _mm256_add_pd(acc[V - 1], _mm256_mul_pd(v, w));
    }
    for (k, acc) in acc.iter().enumerate().take(V - 1) {
        // SAFETY: lanes 4k..4k+4 lie inside `out`, as for the loads above.
        unsafe { _mm256_maskstore_pd(o.wrapping_add(4 * k), all, *acc) };
    }
    // SAFETY: the mask turns off the lanes at or past `out.len()`.
    unsafe { _mm256_maskstore_pd(o.wrapping_add(4 * (V - 1)), mask, acc[V - 1]) };
}

/// [`Columns::t_dot_update`] on the rows of the pixels with entries: each row of `xᵀ · d`
/// is summed in registers over the pixel's samples in increasing order, then added to
/// its row of `w` with one load and one store per vector.
///
/// # Safety
/// The processor must support AVX.
#[target_feature(enable = "avx")]
pub(super) unsafe fn columns_t_dot_update(
    x: &Columns,
    d: &[f64],
    m: usize,
    alpha: f64,
    ws: &mut [f64],
) {
    let stride = padded(m);
    for &i in x.touched() {
        let column = x.column(i);
        for (c, width, v) in passes(m, MAX_COLUMN_VECTORS) {
            let w = &mut ws[i * m + c..i * m + c + width];
            // SAFETY: AVX is available (this function's contract); `w` holds `width`
            // columns with 4(v-1) < width <= 4v, as `column_t_dot_update` requires, and
            // c + 4v <= stride.
            unsafe { with_vectors!(v, column_t_dot_update(column, d, stride, c, alpha, w)) }
        }
    }
}

/// `w += alpha · Σ v · d[s][c..c + w.len()]` over the (s, v) of `column`, in that order,
/// the sum in `V` vectors (`4(V-1) < w.len() <= 4V`); `d`'s rows are `stride` long.
///
/// # Safety
/// The processor must support AVX.
#[target_feature(enable = "avx")]
#[inline]
unsafe fn column_t_dot_update<const V: usize>(
    column: &[(usize, f64)],
    d: &[f64],
    stride: usize,
    c: usize,
    alpha: f64,
    w: &mut [f64],
) {
    // SAFETY: AVX is available (this function's contract).
    let (all, tail) = unsafe { masks::<V>(w.len()) };
    let mut acc = [_mm256_setzero_pd(); V];
    for &(s, v) in column {
        // one bounds check per entry; every load below stays inside this slice
        let row = &d[s * stride + c..s * stride + c + 4 * V];
        let p = row.as_ptr();
        let v = _mm256_set1_pd(v);
        for (k, acc) in acc.iter_mut().enumerate() {
            // SAFETY: lanes 4k..4k+4 lie inside `row`, which has 4V elements.
            let d = unsafe { _mm256_maskload_pd(p.wrapping_add(4 * k), all) };
            *acc = _mm256_add_pd(*acc, _mm256_mul_pd(v, d));
        }
    }
    let alpha = _mm256_set1_pd(alpha);
    let q = w.as_mut_ptr();
    for (k, &acc) in acc.iter().enumerate() {
        let mask = if k < V - 1 { all } else { tail };
        // SAFETY: the lanes the mask leaves on lie inside `w`: lanes 4k..4k+4 for k < V-1
        // (4(V-1) < w.len()), those below `w.len()` for the last.
        unsafe {
            let wk = _mm256_maskload_pd(q.wrapping_add(4 * k), mask);
            let wk = _mm256_add_pd(wk, _mm256_mul_pd(alpha, acc));
            _mm256_maskstore_pd(q.wrapping_add(4 * k), mask, wk);
        }
    }
}
