//! Criterion benchmarks of the book's workloads: `cargo bench -p dlfs-bench`.
//! For the side-by-side comparison with NumPy, run `make bench` instead.

use criterion::{criterion_group, criterion_main, Criterion};
use dlfs_bench::Workloads;
use std::hint::black_box;
use std::time::Duration;

fn book(c: &mut Criterion) {
    let w = Workloads::new();
    let mut g = c.benchmark_group("book");
    g.sample_size(20).measurement_time(Duration::from_secs(5));
    g.bench_function("mnist_load", |b| {
        b.iter(|| black_box(dlfs_data::load_mnist(Default::default()).expect("MNIST")))
    });
    g.bench_function("ch3_batch_inference", |b| {
        b.iter(|| black_box(w.ch3_batch_inference()))
    });
    let (x, t) = (w.x_batch.clone(), w.t_batch.clone());
    g.bench_function("backprop_gradient", |b| {
        b.iter(|| black_box(w.net.gradient(&x, &t)))
    });
    g.bench_function("numerical_gradient_fast", |b| {
        b.iter(|| black_box(w.net.numerical_gradient_fast(&x, &t)))
    });
    let mut trainer = w.trainer();
    g.bench_function("sgd_iteration", |b| {
        b.iter(|| black_box(trainer.step().expect("no divergence")))
    });
    g.sample_size(10).measurement_time(Duration::from_secs(1));
    g.bench_function("ch4_training", |b| b.iter(|| black_box(w.ch4_training())));
    g.finish();
}

criterion_group!(benches, book);
criterion_main!(benches);
