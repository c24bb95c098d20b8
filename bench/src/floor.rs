//! The floor under one SGD iteration: how many multiply-adds it needs, and how many this
//! core can do per second.
//!
//! `multiply_add_rates` runs independent chains of `acc = acc * a + b` long enough to fill
//! the core's floating-point pipelines, once with fused multiply-adds (the hardware's peak)
//! and once with a separate multiplication and addition (what the crate's kernels do, so
//! that their results are bit-for-bit those of the portable code), with 256-bit vectors
//! (AVX2) and, where the core has them, 512-bit ones (AVX-512F). The floor is stated at the
//! best of them: what this core can do, whether or not the kernels use that width.

use std::hint::black_box;
use std::time::Instant;

/// Seconds this thread has run on a CPU (Linux: `clock_gettime(CLOCK_THREAD_CPUTIME_ID)`,
/// to the nanosecond), or `None` elsewhere. On a loaded machine this counts only our own
/// work, where the wall clock also counts the other programs' turns.
pub fn thread_cpu_seconds() -> Option<f64> {
    #[cfg(all(target_os = "linux", target_pointer_width = "64"))]
    {
        /// `struct timespec` of 64-bit Linux.
        #[repr(C)]
        struct Timespec {
            tv_sec: i64,
            tv_nsec: i64,
        }
        extern "C" {
            fn clock_gettime(clock: i32, time: *mut Timespec) -> i32;
        }
        const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
        let mut time = Timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: the C library's `clock_gettime` writes one `struct timespec` (two 64-bit
        // integers on 64-bit Linux) to a valid pointer, and reads nothing else.
        let ok = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut time) } == 0;
        ok.then_some(time.tv_sec as f64 + time.tv_nsec as f64 * 1e-9)
    }
    #[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
    {
        None
    }
}

/// Seconds `f` takes: thread CPU time where it can be read, else wall time.
pub fn seconds(mut f: impl FnMut()) -> f64 {
    let (cpu, wall) = (thread_cpu_seconds(), Instant::now());
    f();
    match (cpu, thread_cpu_seconds()) {
        (Some(a), Some(b)) => b - a,
        _ => wall.elapsed().as_secs_f64(),
    }
}

/// Independent accumulators of the portable measurement: enough to hide the latency of an
/// add or FMA (4 cycles) on two pipelines of 4 lanes, 2 × 4 × 4 = 32.
const CHAINS: usize = 32;

/// The chains, `rounds` times: `acc = acc · a + b`, fused or not.
#[inline(always)]
fn chains(rounds: usize, a: f64, b: f64, fused: bool) -> f64 {
    let mut acc = [0.0f64; CHAINS];
    for (k, v) in acc.iter_mut().enumerate() {
        *v = k as f64 * 1e-3;
    }
    for _ in 0..rounds {
        for v in acc.iter_mut() {
            *v = if fused { v.mul_add(a, b) } else { *v * a + b };
        }
    }
    acc.iter().sum()
}

/// `V` chains of 4-lane vectors, `rounds` times: `acc = acc · a + b`, fused or not. A
/// separate multiplication and addition in a chain wait for each other (about 8 cycles
/// where an FMA takes 4), so they need more chains than an FMA to keep the pipelines
/// full: [`multiply_add_rate`] tries several counts, up to the 14 that fit in the 16 AVX
/// registers beside `a` and `b`, and keeps the fastest.
///
/// # Safety
/// The processor must support AVX2 and FMA.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn vector_chains<const V: usize>(rounds: usize, a: f64, b: f64, fused: bool) -> f64 {
    use std::arch::x86_64::*;
    let (va, vb) = (_mm256_set1_pd(a), _mm256_set1_pd(b));
    let mut acc = [_mm256_setzero_pd(); V];
    for (k, v) in acc.iter_mut().enumerate() {
        *v = _mm256_set1_pd(k as f64 * 1e-3);
    }
    for _ in 0..rounds {
        for v in acc.iter_mut() {
            *v = if fused {
                _mm256_fmadd_pd(*v, va, vb)
            } else {
                _mm256_add_pd(_mm256_mul_pd(*v, va), vb)
            };
        }
    }
    let mut lanes = [0.0; 4];
    let mut sum = 0.0;
    for v in acc {
        // SAFETY: `lanes` holds the 4 values an unaligned store writes.
        unsafe { _mm256_storeu_pd(lanes.as_mut_ptr(), v) };
        sum += lanes.iter().sum::<f64>();
    }
    sum
}

/// `V` chains of 8-lane AVX-512 vectors, as [`vector_chains`] does with 4 lanes; the 32
/// AVX-512 registers leave room for up to 30 chains.
///
/// # Safety
/// The processor must support AVX-512F.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn vector_chains_512<const V: usize>(rounds: usize, a: f64, b: f64, fused: bool) -> f64 {
    use std::arch::x86_64::*;
    let (va, vb) = (_mm512_set1_pd(a), _mm512_set1_pd(b));
    let mut acc = [_mm512_setzero_pd(); V];
    for (k, v) in acc.iter_mut().enumerate() {
        *v = _mm512_set1_pd(k as f64 * 1e-3);
    }
    for _ in 0..rounds {
        for v in acc.iter_mut() {
            *v = if fused {
                _mm512_fmadd_pd(*v, va, vb)
            } else {
                _mm512_add_pd(_mm512_mul_pd(*v, va), vb)
            };
        }
    }
    acc.iter().map(|&v| _mm512_reduce_add_pd(v)).sum()
}

/// This core's multiply-add rates on one thread, in multiply-adds per second.
#[derive(Clone, Copy, Debug)]
pub struct Rates {
    /// Separate multiplication and addition at the widest vectors the core has: the floor's.
    pub separate: f64,
    /// Fused multiply-adds at the widest vectors, where the processor has FMA.
    pub fused: Option<f64>,
    /// The vector width those two were measured at, in bits (64 without AVX2).
    pub bits: u32,
    /// Separate multiplication and addition with 256-bit AVX, the width the crate's kernels
    /// use, where the processor has it.
    pub separate_256: Option<f64>,
}

/// Multiply-adds per second on one thread (by [`seconds`], best of 5 runs for each chain
/// count tried, the best count kept), at 256 bits (AVX2) and, where the processor has
/// AVX-512F, at 512 bits. Fused is measured only where the processor has AVX2 and FMA
/// (elsewhere `mul_add` is a library call, not a peak).
pub fn multiply_add_rates() -> Rates {
    let (fused, separate) = multiply_add_rate();
    let mut rates = Rates {
        separate,
        fused,
        bits: if fused.is_some() { 256 } else { 64 },
        separate_256: fused.map(|_| separate),
    };
    #[cfg(target_arch = "x86_64")]
    {
        if is_x86_feature_detected!("avx512f") {
            let counts: [(usize, Chains); 4] = [
                (8 * 8, vector_chains_512::<8>),
                (8 * 16, vector_chains_512::<16>),
                (8 * 24, vector_chains_512::<24>),
                (8 * 28, vector_chains_512::<28>),
            ];
            // SAFETY: the processor has AVX-512F, checked above.
            let best = |fused| unsafe { fastest(&counts, fused) };
            let (separate, fused) = (best(false), best(true));
            if separate > rates.separate {
                rates.separate = separate;
                rates.fused = Some(fused);
                rates.bits = 512;
            }
        }
    }
    rates
}

/// Rounds of the chains in each timed run, and the chains' `a` and `b`.
const ROUNDS: usize = 20_000_000;
const A: f64 = 0.999_999;
const B: f64 = 1e-9;

/// Multiply-adds per second of `f`, which runs `ROUNDS` rounds of `lanes` chains: the best
/// of 5 runs.
fn best_rate(lanes: usize, f: &dyn Fn() -> f64) -> f64 {
    let best = (0..5)
        .map(|_| {
            seconds(|| {
                black_box(f());
            })
        })
        .fold(f64::INFINITY, f64::min);
    (ROUNDS * lanes) as f64 / best
}

/// One of the vector chain functions, `(rounds, a, b, fused)`.
#[cfg(target_arch = "x86_64")]
type Chains = unsafe fn(usize, f64, f64, bool) -> f64;

/// The best rate of `counts` (lanes in all, the chains that run them), fused or not.
///
/// # Safety
/// The processor must support what the chain functions need.
#[cfg(target_arch = "x86_64")]
unsafe fn fastest(counts: &[(usize, Chains)], fused: bool) -> f64 {
    let rates = counts.iter().map(|&(lanes, chains)| {
        // the inputs opaque in each run, so that no run reuses another's result
        let run = || {
            let (r, a, b) = (black_box(ROUNDS), black_box(A), black_box(B));
            // SAFETY: the processor supports the chains (this function's contract).
            unsafe { chains(r, a, b, fused) }
        };
        best_rate(lanes, &run)
    });
    rates.fold(0.0, f64::max)
}

/// Multiply-adds per second on one thread at 256 bits (by [`seconds`], best of 5 runs for
/// each chain count tried, the best count kept): `(fused, separate)`. Fused is measured only
/// where the processor has AVX2 and FMA (elsewhere `mul_add` is a library call, not a peak).
pub fn multiply_add_rate() -> (Option<f64>, f64) {
    #[cfg(target_arch = "x86_64")]
    {
        if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
            let counts: [(usize, Chains); 4] = [
                (32, vector_chains::<8>),
                (48, vector_chains::<12>),
                (52, vector_chains::<13>),
                (56, vector_chains::<14>),
            ];
            // SAFETY: the processor has AVX2 and FMA, checked above.
            let best = |fused| unsafe { fastest(&counts, fused) };
            return (Some(best(true)), best(false));
        }
    }
    (
        None,
        best_rate(CHAINS, &|| {
            chains(black_box(ROUNDS), black_box(A), black_box(B), false)
        }),
    )
}

/// Multiply-adds of one SGD iteration of a `inputs`-`hidden`-`outputs` `TwoLayerNet` on a
/// batch of `batch` samples holding `nonzero` nonzero inputs in all, `touched` of the
/// `inputs` columns nonzero in at least one sample, as `Trainer::step` runs it: a forward
/// pass for the gradient, the backward pass, the update, and a second forward pass for the
/// loss after the step (book: `loss = network.loss(x_batch, t_batch)`).
///
/// What is counted is what the algorithm cannot do without: the products with the input
/// `x` only over its nonzero entries (a zero adds nothing), and in the update only the rows
/// of W1 whose gradient is not exactly zero (the `touched` columns: W1 − lr · 0 is W1). The
/// sigmoid's and softmax's exponentials, and every other operation that is not a
/// multiply-add, are left out, so the floor is below what any implementation reaches. For
/// the dense count pass `batch * inputs` and `inputs`.
pub fn sgd_multiply_adds(
    inputs: usize,
    hidden: usize,
    outputs: usize,
    batch: usize,
    nonzero: usize,
    touched: usize,
) -> usize {
    assert!(touched <= inputs, "{touched} of {inputs} inputs touched");
    let x_w1 = nonzero * hidden; // x · W1, and xᵀ · dz1 the same
    let z1_w2 = batch * hidden * outputs; // z1 · W2, z1ᵀ · dy, dy · W2ᵀ the same
    let forward = x_w1 + z1_w2;
    let backward = z1_w2 + z1_w2 + x_w1;
    let update = touched * hidden + hidden + hidden * outputs + outputs;
    2 * forward + backward + update
}

/// The expected number of the `inputs` columns of `x` that are nonzero in at least one
/// sample of a batch of `batch` rows drawn with replacement: Σ over columns of
/// 1 − (1 − f)^batch, with f the fraction of rows where the column is nonzero.
pub fn expected_touched(x: &dlfs::ndarray::ArrayView2<f64>, batch: usize) -> f64 {
    let rows = x.nrows() as f64;
    x.columns()
        .into_iter()
        .map(|column| {
            let f = column.iter().filter(|&&v| v != 0.0).count() as f64 / rows;
            1.0 - (1.0 - f).powi(batch as i32)
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_books_iteration_counts_its_products() {
        // 784-50-10, batch 100, dense: x·W1 is 100·784·50 = 3,920,000 multiply-adds, each
        // of the three small products 100·50·10 = 50,000, the update 39,760 parameters.
        let dense = sgd_multiply_adds(784, 50, 10, 100, 100 * 784, 784);
        assert_eq!(
            dense,
            2 * (3_920_000 + 50_000) + (2 * 50_000 + 3_920_000) + 39_760
        );
        // one forward and one backward pass only: the "about 16 MFLOP"
        assert_eq!(3_920_000 + 50_000 + 2 * 50_000 + 3_920_000, 7_990_000);
        // 15,000 nonzero pixels, 600 columns touched: x·W1 750,000, W1's update 30,000
        let sparse = sgd_multiply_adds(784, 50, 10, 100, 15_000, 600);
        assert_eq!(
            sparse,
            2 * (750_000 + 50_000) + (2 * 50_000 + 750_000) + (30_000 + 50 + 500 + 10)
        );
    }

    #[test]
    fn touched_columns_are_expected_from_their_frequencies() {
        use dlfs::ndarray::array;
        // column 0 always nonzero, column 1 never, column 2 in half the rows
        let x = array![[1.0, 0.0, 2.0], [3.0, 0.0, 0.0]];
        assert_eq!(expected_touched(&x.view(), 1), 1.0 + 0.0 + 0.5);
        assert_eq!(expected_touched(&x.view(), 3), 1.0 + 0.0 + (1.0 - 0.125));
    }
}
