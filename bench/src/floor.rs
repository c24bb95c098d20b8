//! The floor under one SGD iteration: how many multiply-adds it needs, and how many this
//! core can do per second.
//!
//! `multiply_add_rate` runs independent chains of `acc = acc * a + b` long enough to fill
//! the core's floating-point pipelines, once with fused multiply-adds (the hardware's peak)
//! and once with a separate multiplication and addition (what the crate's kernels do, so
//! that their results are bit-for-bit those of the portable code).

use std::hint::black_box;
use std::time::Instant;

/// Seconds this thread has run on a CPU (Linux: `/proc/thread-self/schedstat`), or `None`
/// elsewhere. On a loaded machine this counts only our own work, where the wall clock also
/// counts the other programs' turns.
pub fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(nanos * 1e-9)
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

/// Independent accumulators: enough to hide the latency of an add or FMA (4 cycles) on
/// two pipelines of 4 lanes, 2 × 4 × 4 = 32.
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

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn chains_fma(rounds: usize, a: f64, b: f64, fused: bool) -> f64 {
    chains(rounds, a, b, fused)
}

/// Multiply-adds per second on one thread (by [`seconds`], best of 5): `(fused, separate)`.
/// Fused is measured only where the processor has AVX2 and FMA (elsewhere `mul_add` is a
/// library call, not a peak).
pub fn multiply_add_rate() -> (Option<f64>, f64) {
    let rounds = 20_000_000;
    let rate = |f: &dyn Fn() -> f64| {
        let best = (0..5)
            .map(|_| {
                seconds(|| {
                    black_box(f());
                })
            })
            .fold(f64::INFINITY, f64::min);
        (rounds * CHAINS) as f64 / best
    };
    let (a, b) = (0.999_999, 1e-9);
    #[cfg(target_arch = "x86_64")]
    {
        if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
            // SAFETY: the processor has AVX2 and FMA, checked just above.
            let run =
                |fused| unsafe { chains_fma(black_box(rounds), black_box(a), black_box(b), fused) };
            return (Some(rate(&|| run(true))), rate(&|| run(false)));
        }
    }
    (
        None,
        rate(&|| chains(black_box(rounds), black_box(a), black_box(b), false)),
    )
}

/// Multiply-adds of one SGD iteration of a `inputs`-`hidden`-`outputs` `TwoLayerNet` on a
/// batch of `batch` samples holding `nonzero` nonzero inputs in all, as `Trainer::step` runs
/// it: a forward pass for the gradient, the backward pass, the update, and a second forward
/// pass for the loss after the step (book: `loss = network.loss(x_batch, t_batch)`). Only the
/// two products with the input `x` depend on `nonzero`; for the dense count pass
/// `batch * inputs`.
pub fn sgd_multiply_adds(
    inputs: usize,
    hidden: usize,
    outputs: usize,
    batch: usize,
    nonzero: usize,
) -> usize {
    let x_w1 = nonzero * hidden; // x · W1, and xᵀ · dz1 the same
    let z1_w2 = batch * hidden * outputs; // z1 · W2, z1ᵀ · dy, dy · W2ᵀ the same
    let forward = x_w1 + z1_w2;
    let backward = z1_w2 + z1_w2 + x_w1;
    let update = inputs * hidden + hidden + hidden * outputs + outputs;
    2 * forward + backward + update
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_books_iteration_counts_its_products() {
        // 784-50-10, batch 100, dense: x·W1 is 100·784·50 = 3,920,000 multiply-adds, each
        // of the three small products 100·50·10 = 50,000, the update 39,760 parameters.
        let dense = sgd_multiply_adds(784, 50, 10, 100, 100 * 784);
        assert_eq!(
            dense,
            2 * (3_920_000 + 50_000) + (2 * 50_000 + 3_920_000) + 39_760
        );
        // one forward and one backward pass only: the "about 16 MFLOP"
        assert_eq!(3_920_000 + 50_000 + 2 * 50_000 + 3_920_000, 7_990_000);
    }
}
