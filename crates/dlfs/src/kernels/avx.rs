//! The sparse product with AVX: the partial sums of an output row are held in registers, a
//! few 4-lane vectors at a time, while the row's nonzero entries stream by.
//!
//! Multiplication and addition stay separate (no fused multiply-add) and every output
//! element is summed in the same order as in [`SparseView::row_dot`], so the results are
//! bit-for-bit those of the portable code. (Taking the rows of `w` a cache-sized tile at a
//! time was measured slower on MNIST batches: the bookkeeping per tile cost more than the
//! cache misses it saved.)
#![deny(unsafe_op_in_unsafe_fn)]

use super::SparseView;
use std::arch::x86_64::*;

/// Most 4-lane partial sums kept in registers in one pass over a row's entries: 8 of the
/// 16 AVX registers, enough independent additions to keep the adders busy, with room
/// left for the weights being loaded and the broadcast entry.
const MAX_VECTORS: usize = 8;

/// Rows `first..` of `x · w` into `out` (as many rows as `out` holds).
///
/// # Safety
/// The processor must support AVX.
#[target_feature(enable = "avx")]
pub(super) unsafe fn rows_dot(x: &SparseView, first: usize, ws: &[f64], m: usize, out: &mut [f64]) {
    // Columns in passes of at most MAX_VECTORS vectors, as even as possible
    // (50 columns: 13 vectors in passes of 7 and 6).
    let vectors = m.div_ceil(4);
    let passes = vectors.div_ceil(MAX_VECTORS);
    for (r, orow) in out.chunks_exact_mut(m).enumerate() {
        let entries = x.row(first + r);
        let mut c = 0;
        for p in 0..passes {
            let v = vectors / passes + usize::from(p < vectors % passes);
            let width = (4 * v).min(m - c);
            let block = &mut orow[c..c + width];
            // SAFETY: `rows_dot` runs only where AVX is available (its own contract), and
            // `block` holds `width` columns with 4(v-1) < width <= 4v, as `block_dot`
            // requires (checked there too).
            unsafe {
                match v {
                    1 => block_dot::<1>(entries, ws, m, c, block),
                    2 => block_dot::<2>(entries, ws, m, c, block),
                    3 => block_dot::<3>(entries, ws, m, c, block),
                    4 => block_dot::<4>(entries, ws, m, c, block),
                    5 => block_dot::<5>(entries, ws, m, c, block),
                    6 => block_dot::<6>(entries, ws, m, c, block),
                    7 => block_dot::<7>(entries, ws, m, c, block),
                    _ => block_dot::<MAX_VECTORS>(entries, ws, m, c, block),
                }
            }
            c += width;
        }
    }
}

/// `out = Σ v · w[i][c..c + out.len()]` over `entries`, with `V` vectors of partial sums;
/// the last vector is masked to the columns that exist (`4(V-1) < out.len() <= 4V`).
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
    assert!(
        width > 4 * (V - 1) && width <= 4 * V,
        "block of {width} columns for {V} vectors"
    );
    let tail = width - 4 * (V - 1);
    let lane = |k: usize| if k < tail { -1 } else { 0 };
    let mask = _mm256_setr_epi64x(lane(0), lane(1), lane(2), lane(3));
    // Every load and store is a masked one, full vectors with all lanes on: the compiler
    // turns those into plain loads and stores, while `_mm256_loadu_pd` would carry a
    // pointer check per load in builds with debug assertions (a notebook's).
    let all = _mm256_set1_epi64x(-1);
    let mut acc = [_mm256_setzero_pd(); V];
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
    let o = out.as_mut_ptr();
    for (k, acc) in acc.iter().enumerate().take(V - 1) {
        // SAFETY: lanes 4k..4k+4 lie inside `out`, as for the loads above.
        unsafe { _mm256_maskstore_pd(o.wrapping_add(4 * k), all, *acc) };
    }
    // SAFETY: the mask turns off the lanes at or past `out.len()`.
    unsafe { _mm256_maskstore_pd(o.wrapping_add(4 * (V - 1)), mask, acc[V - 1]) };
}
