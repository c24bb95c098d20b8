//! Times each workload and prints one JSON object per line:
//! `{"workload": "...", "seconds": <median>, "runs": n}`. Run by `bench/compare.sh`, which
//! runs `bench/numpy_reference.py` on the same workloads and prints the ratios.
//!
//! Usage: `timings [--quick]` (`--quick` skips the book-style numerical gradient, ~10 s).

use dlfs_bench::Workloads;
use std::hint::black_box;
use std::time::Instant;

fn median_seconds(runs: usize, mut f: impl FnMut()) -> f64 {
    f(); // warm-up
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[runs / 2]
}

fn report(workload: &str, runs: usize, seconds: f64) {
    println!("{{\"workload\": \"{workload}\", \"seconds\": {seconds:.6e}, \"runs\": {runs}}}");
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let start = Instant::now();
    let mut w = black_box(Workloads::new());
    let load = start.elapsed().as_secs_f64();
    let runs = 5;
    report(
        "mnist_load",
        runs,
        median_seconds(runs, || {
            black_box(dlfs_data::load_mnist(Default::default()).expect("MNIST"));
        }),
    );
    let _ = load;
    report(
        "ch3_batch_inference",
        20,
        median_seconds(20, || {
            black_box(w.ch3_batch_inference());
        }),
    );
    let (x, t) = (w.x_batch.clone(), w.t_batch.clone());
    report(
        "backprop_gradient",
        200,
        median_seconds(200, || {
            black_box(w.net.gradient(&x, &t));
        }),
    );
    report(
        "sgd_iteration",
        200,
        median_seconds(200, || w.sgd_iteration()),
    );
    report(
        "numerical_gradient_fast",
        5,
        median_seconds(5, || {
            black_box(w.net.numerical_gradient_fast(&x, &t));
        }),
    );
    report(
        "ch4_training",
        1,
        median_seconds(1, || {
            black_box(w.ch4_training());
        }),
    );
    if !quick {
        let mut net = w.net.clone();
        let start = Instant::now();
        black_box(net.numerical_gradient(&x, &t));
        report("numerical_gradient_book", 1, start.elapsed().as_secs_f64());
    }
}
