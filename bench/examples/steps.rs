//! Runs `Trainer::step` on MNIST many times, for a profiler: `perf record` sees the step
//! and little else. Prints the best of 40 runs of 100 steps by thread CPU time, as the
//! floor's measurement does. Usage: `steps [RUNS]` (default 40).
use dlfs_bench::{floor, Workloads};
use std::hint::black_box;

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .map_or(40, |a| a.parse().expect("a count"));
    let w = Workloads::new();
    let mut trainer = w.trainer();
    let best = (0..runs)
        .map(|_| {
            floor::seconds(|| {
                for _ in 0..100 {
                    black_box(trainer.step().expect("no divergence"));
                }
            }) / 100.0
        })
        .fold(f64::INFINITY, f64::min);
    println!(
        "{:.1} µs per step, best of {runs} runs of 100 (thread CPU time)",
        best * 1e6
    );
}
