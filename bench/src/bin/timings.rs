//! Times each workload and prints one JSON object per line:
//! `{"workload": "...", "seconds": <median>, "runs": n}`. Run by `bench/compare.sh`, which
//! runs `bench/numpy_reference.py` on the same workloads and prints the ratios.
//!
//! Usage: `timings [--quick] [--only WORKLOAD]` (`--quick` skips the book-style numerical
//! gradient; `--only` runs one workload, e.g. under a profiler).
//!
//! Last, one line `{"floor": ...}` with this core's multiply-add rate and the floor it puts
//! under one SGD iteration (see `dlfs_bench::floor`).

use dlfs_bench::{floor, Workloads};
use std::hint::black_box;
use std::time::Instant;

struct Args {
    quick: bool,
    only: Option<String>,
}

impl Args {
    fn parse() -> Self {
        let args: Vec<String> = std::env::args().collect();
        let only = args
            .iter()
            .position(|a| a == "--only")
            .and_then(|k| args.get(k + 1).cloned());
        Args {
            quick: args.iter().any(|a| a == "--quick"),
            only,
        }
    }

    /// Times `f` `runs` times after one warm-up call and prints the median, if selected.
    fn measure(&self, workload: &str, runs: usize, mut f: impl FnMut()) {
        if self.only.as_deref().is_some_and(|w| w != workload) {
            return;
        }
        if runs > 1 {
            f(); // warm-up
        }
        let mut times: Vec<f64> = (0..runs)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed().as_secs_f64()
            })
            .collect();
        times.sort_by(f64::total_cmp);
        let seconds = times[runs / 2];
        println!("{{\"workload\": \"{workload}\", \"seconds\": {seconds:.6e}, \"runs\": {runs}}}");
    }
}

fn main() {
    let args = Args::parse();
    let w = Workloads::new();
    args.measure("mnist_load", 5, || {
        black_box(dlfs_data::load_mnist(Default::default()).expect("MNIST"));
    });
    args.measure("ch3_batch_inference", 20, || {
        black_box(w.ch3_batch_inference());
    });
    let (x, t) = (w.x_batch.clone(), w.t_batch.clone());
    args.measure("backprop_gradient", 1000, || {
        black_box(w.net.gradient(&x, &t));
    });
    let mut trainer = w.trainer();
    args.measure("sgd_iteration", 1000, || {
        black_box(trainer.step().expect("no divergence"));
    });
    args.measure("numerical_gradient_fast", 5, || {
        black_box(w.net.numerical_gradient_fast(&x, &t));
    });
    args.measure("ch4_training", 1, || {
        black_box(w.ch4_training());
    });
    if !args.quick {
        let mut net = w.net.clone();
        args.measure("numerical_gradient_book", 1, || {
            black_box(net.numerical_gradient(&x, &t));
        });
    }
    if args.only.as_deref().is_none_or(|o| o == "floor") {
        print_floor(&w);
    }
}

/// The multiply-add rate of this core and the floor of one SGD iteration, dense and on the
/// nonzero pixels of an average batch of 100 training images.
///
/// The rate is the best of several runs (see `floor::multiply_add_rates`); the iteration is
/// timed the same way, the best of 50 runs of 20 iterations, so that on a loaded machine
/// both are what this thread gets when it has the core to itself as far as possible.
fn print_floor(w: &Workloads) {
    let x = w.mnist.x_train.flat().expect("flat");
    let nonzero = x.iter().filter(|&&v| v != 0.0).count() as f64 / x.nrows() as f64 * 100.0;
    let touched = floor::expected_touched(&x.view(), 100);
    let dense = floor::sgd_multiply_adds(784, 50, 10, 100, 100 * 784, 784);
    let sparse = floor::sgd_multiply_adds(
        784,
        50,
        10,
        100,
        nonzero.round() as usize,
        touched.round() as usize,
    );
    let rates = floor::multiply_add_rates();
    let json = |r: Option<f64>| r.map_or("null".to_string(), |r| format!("{r:.4e}"));
    let (fused, separate) = (json(rates.fused), rates.separate);
    let (bits, separate_256) = (rates.bits, json(rates.separate_256));
    // one SGD iteration by the same clock (thread CPU time); batch 100 runs on one thread
    let mut trainer = w.trainer();
    let iters = 20;
    let step = (0..50)
        .map(|_| {
            floor::seconds(|| {
                for _ in 0..iters {
                    black_box(trainer.step().expect("no divergence"));
                }
            }) / iters as f64
        })
        .fold(f64::INFINITY, f64::min);
    println!(
        "{{\"floor\": \"sgd_iteration\", \"multiply_adds_dense\": {dense}, \
         \"multiply_adds_nonzero\": {sparse}, \"nonzero_per_batch\": {nonzero:.0}, \
         \"touched_per_batch\": {touched:.0}, \
         \"rate_fused\": {fused}, \"rate_separate\": {separate:.4e}, \"vector_bits\": {bits}, \
         \"rate_separate_256\": {separate_256}, \
         \"sgd_iteration_cpu_seconds\": {step:.4e}}}"
    );
}
